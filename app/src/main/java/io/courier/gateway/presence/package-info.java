@NullMarked
package io.courier.gateway.presence;

import org.jspecify.annotations.NullMarked;
