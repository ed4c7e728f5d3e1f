@NullMarked
package io.courier.gateway.limits;

import org.jspecify.annotations.NullMarked;
