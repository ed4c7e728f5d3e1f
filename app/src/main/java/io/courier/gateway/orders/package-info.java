@NullMarked
package io.courier.gateway.orders;

import org.jspecify.annotations.NullMarked;
