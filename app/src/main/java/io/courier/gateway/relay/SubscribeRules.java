package io.courier.gateway.relay;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

/**
 * What the relay decides about a SUBSCRIBE before anything reaches the broker: whether it
 * refuses it itself (so that RabbitMQ never closes a shared connection over it) and
 * whether one node-wide subscription may serve it.
 */
final class SubscribeRules {

	private static final Set<String> ACK_MODES = Set.of("auto", "client", "client-individual");

	/**
	 * SUBSCRIBE headers that ask the broker for nothing particular: only such a
	 * subscription is shared.
	 */
	private static final Set<String> SHAREABLE_HEADERS = Set.of("destination", "id", "ack", "receipt", "content-length",
			"content-type", "subscription-token", SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);

	private SubscribeRules() {
	}

	/**
	 * Why the relay refuses a SUBSCRIBE itself (before the broker could close a shared
	 * connection), or null.
	 */
	static @Nullable String refusal(ClientSession session, @Nullable String id, @Nullable String destination,
			@Nullable String ack) {
		if (id == null || destination == null) {
			return "SUBSCRIBE needs an id and a destination";
		}
		if (session.subscriptions.containsKey(id)) {
			return "duplicated subscription id " + id;
		}
		if (ack != null && !ACK_MODES.contains(ack)) {
			return "ack mode " + ack + " (auto, client or client-individual)";
		}
		return null;
	}

	/**
	 * A plain auto-ack SUBSCRIBE to a shared destination ({@code /topic/...}, a user
	 * destination): one node-wide subscription serves every local session.
	 */
	static boolean isShareable(SharedConnectionPolicy sharing, String destination, StompHeaderAccessor accessor) {
		if (!sharing.isShared(destination)) {
			return false;
		}
		String ack = accessor.getAck();
		if (ack != null && !"auto".equals(ack)) {
			return false;
		}
		return SHAREABLE_HEADERS.containsAll(accessor.toNativeHeaderMap().keySet());
	}

}
