/**
 * What gateway nodes say on the {@code courier.cluster} exchange beyond presence: publishing, and the control
 * requests that the admin console sends to every node.
 */
@NullMarked
package io.courier.gateway.cluster;

import org.jspecify.annotations.NullMarked;
