@NullMarked
package io.courier.gateway.security;

import org.jspecify.annotations.NullMarked;
