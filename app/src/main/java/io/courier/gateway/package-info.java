@NullMarked
package io.courier.gateway;

import org.jspecify.annotations.NullMarked;
