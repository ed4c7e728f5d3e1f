@NullMarked
package io.courier.gateway.stomp;

import org.jspecify.annotations.NullMarked;
