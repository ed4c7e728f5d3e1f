@NullMarked
package io.courier.gateway.dev;

import org.jspecify.annotations.NullMarked;
