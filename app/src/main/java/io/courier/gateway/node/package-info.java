/**
 * This gateway node: its id and settings ({@code courier.*} of
 * {@link io.courier.gateway.node.GatewayProperties}) and what {@code /actuator/info} says
 * about it.
 */
@NullMarked
package io.courier.gateway.node;

import org.jspecify.annotations.NullMarked;
