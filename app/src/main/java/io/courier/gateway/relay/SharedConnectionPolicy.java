package io.courier.gateway.relay;

import java.util.List;
import java.util.Map;

import org.springframework.messaging.simp.stomp.StompCommand;

/**
 * Which client frames may ride a broker connection other sessions share. RabbitMQ answers
 * a frame it refuses (a queue the relay's user may not read, arguments that differ from
 * an existing queue's, a header value it cannot parse) with an ERROR, and closes the
 * connection the frame came on: every session on it would go. So only frames RabbitMQ
 * cannot refuse share a connection: a SUBSCRIBE or SEND to a destination under one of the
 * safe prefixes ({@code /topic/}, the gateway's user exchange), with no header beyond the
 * specification's (and application headers on SEND). Anything else goes on the session's
 * own connection, whose loss ends that session alone.
 */
final class SharedConnectionPolicy {

	private final List<String> safePrefixes;

	SharedConnectionPolicy(List<String> safePrefixes) {
		this.safePrefixes = List.copyOf(safePrefixes);
	}

	/**
	 * Whether frames to {@code destination} may share a connection at all (given plain
	 * headers).
	 */
	boolean isShared(String destination) {
		return this.safePrefixes.stream().anyMatch(destination::startsWith);
	}

	boolean allows(StompCommand command, String destination, Map<String, List<String>> headers) {
		if (!isShared(destination)) {
			return false;
		}
		for (String name : headers.keySet()) {
			// The gateway's own headers (the sender stamp, a user destination's original
			// destination) reach the
			// relay only from the gateway: a client's are refused before.
			if (!BrokerHeaders.isPlain(command, name) && !BrokerHeaders.isGatewayHeader(name)) {
				return false;
			}
		}
		return true;
	}

}
