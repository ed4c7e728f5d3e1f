package io.courier.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One connection of a gateway node to RabbitMQ, as the node reports it in
 * {@link NodeStatus#brokerLinks()}: which kind, to which broker address, and whether it
 * is up. The console maps the address to a broker node through the listeners RabbitMQ's
 * management API lists (node, protocol, address, port), so {@code kind} uses the
 * listeners' protocol names.
 *
 * @param kind {@link #STOMP} (a pooled connection of the relay) or {@link #AMQP} (the
 * node's AMQP connection: presence, cluster messages, orders, history)
 * @param address the broker address as {@code host:port}: for a relay connection the
 * entry of {@code courier.relay.addresses} it is on (or, while down, tries next); for
 * AMQP the address the connection was made to
 * @param up whether the connection is open (for a relay connection: STOMP CONNECTED)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BrokerLink(String kind, String address, boolean up) {

	public static final String STOMP = "stomp";

	public static final String AMQP = "amqp";

}
