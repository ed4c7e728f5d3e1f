/**
 * What gateway nodes say on the {@code courier.cluster} exchange beyond presence:
 * publishing, this node's queue and the handlers of what arrives on it (the console's
 * requests are in {@code control}).
 */
@NullMarked
package io.courier.gateway.cluster;

import org.jspecify.annotations.NullMarked;
