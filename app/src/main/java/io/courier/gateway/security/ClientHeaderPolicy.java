package io.courier.gateway.security;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.StompCommand;

import io.courier.gateway.relay.BrokerHeaders;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;

/**
 * Deny by default, for headers as for destinations: a client frame may carry the headers
 * the STOMP specification gives it, and on SEND application headers, which RabbitMQ
 * passes to consumers untouched. A header RabbitMQ acts on
 * ({@link BrokerHeaders#isBrokerHeader}) is refused unless the rule that granted the
 * destination lists it in {@code broker-headers}; so is any other header on a frame that
 * has no use for it, and Courier's own ({@code courier-*}) always. A server frame
 * (MESSAGE, RECEIPT, ERROR, CONNECTED) from a client is refused.
 */
final class ClientHeaderPolicy {

	/**
	 * On a SEND to {@code /app/...}, which never reaches RabbitMQ's STOMP plugin: the
	 * gateway's request/reply contract with backends (the upstream publisher reads them).
	 */
	private static final Set<String> UPSTREAM_HEADERS = Set.of("reply-to", "correlation-id");

	private ClientHeaderPolicy() {
	}

	/**
	 * @param allowed the broker headers the matching rule allows (lower case); empty for
	 * frames without a destination
	 */
	static void check(StompCommand command, @Nullable String destination, Collection<String> headerNames,
			Collection<String> allowed) {
		switch (command) {
			case MESSAGE, RECEIPT, ERROR, CONNECTED ->
				throw new ClientRejection(ClientError.FORBIDDEN_FRAME, command + " (only a server sends it)");
			case CONNECT, STOMP, DISCONNECT -> {
				return; // answered by the gateway, never forwarded
			}
			default -> {
			}
		}
		boolean upstream = command == StompCommand.SEND && destination != null && destination.startsWith("/app/");
		for (String name : headerNames) {
			if (BrokerHeaders.isPlain(command, name) || (upstream && UPSTREAM_HEADERS.contains(name))) {
				continue;
			}
			if (!BrokerHeaders.isGatewayHeader(name) && allowed.contains(name.toLowerCase(Locale.ROOT))) {
				continue;
			}
			throw new ClientRejection(ClientError.FORBIDDEN_HEADER, name + " on " + command
					+ ((destination != null) ? " " + destination : "") + " (" + reason(name, destination) + ")");
		}
	}

	private static String reason(String name, @Nullable String destination) {
		if (BrokerHeaders.isGatewayHeader(name)) {
			return "reserved for the gateway";
		}
		if (BrokerHeaders.isBrokerHeader(name)) {
			return (destination != null) ? "a RabbitMQ header no rule allows here" : "a RabbitMQ header";
		}
		return "not a header of this frame";
	}

}
