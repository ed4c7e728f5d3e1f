package io.courier.gateway.security;

import java.nio.charset.StandardCharsets;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;

/**
 * The destinations Courier serves, checked before any rule is read, so that no rule can
 * open what the gateway or RabbitMQ keeps for itself, nor a name RabbitMQ would refuse (a
 * refusal RabbitMQ answers by closing the connection the frame came on):
 * <ul>
 * <li>{@code /app/...}: the application's handlers;</li>
 * <li>{@code /user/...}: user destinations, resolved by the gateway to the user's own
 * key;</li>
 * <li>{@code /topic/<name>}: {@code amq.topic} with routing key {@code name};</li>
 * <li>{@code /queue/<name>}: the queue {@code name}, except the gateway's
 * ({@code courier.*}), RabbitMQ's ({@code amq.*}) and the STOMP plugin's subscription
 * queues ({@code stomp-subscription-*}).</li>
 * </ul>
 * Anything else ({@code /exchange/...}, {@code /amq/queue/...}, {@code /temp-queue/...},
 * {@code /reply-queue/...}) is not served: the relay does not carry it. A name is 1 to
 * 255 bytes of UTF-8 without {@code '/'}; user destinations are kept short enough for the
 * routing key the gateway makes of them.
 */
final class ServedDestinations {

	/** RabbitMQ's limit for a queue name or routing key (an AMQP short string). */
	static final int MAX_NAME_BYTES = 255;

	/**
	 * The longest {@code /user/...} destination: its routing key adds the user's key (up
	 * to 128 characters and a 3-character tag) to what follows {@code /user/}.
	 */
	static final int MAX_USER_DESTINATION_BYTES = 100;

	private static final String[] RESERVED_QUEUES = { "courier.", "amq.", "stomp-subscription-" };

	private ServedDestinations() {
	}

	static void check(String destination) {
		for (int i = 0; i < destination.length(); i++) {
			if (Character.isISOControl(destination.charAt(i))) {
				throw invalid(destination, "control characters are not allowed");
			}
		}
		if (destination.startsWith("/app/")) {
			return;
		}
		if (destination.startsWith("/user/")) {
			checkLength(destination, "/user/".length(), MAX_USER_DESTINATION_BYTES);
			return;
		}
		if (destination.startsWith("/topic/")) {
			checkName(destination, "/topic/".length());
			return;
		}
		if (destination.startsWith("/queue/")) {
			String name = checkName(destination, "/queue/".length());
			for (String reserved : RESERVED_QUEUES) {
				if (name.startsWith(reserved)) {
					throw new ClientRejection(ClientError.FORBIDDEN_DESTINATION, destination + " (queues " + reserved
							+ "* are reserved for " + (reserved.equals("courier.") ? "the gateway" : "RabbitMQ") + ")");
				}
			}
			return;
		}
		throw new ClientRejection(ClientError.FORBIDDEN_DESTINATION,
				destination + " (not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)");
	}

	private static String checkName(String destination, int start) {
		String name = destination.substring(start);
		if (name.isEmpty()) {
			throw invalid(destination, "no name");
		}
		if (name.indexOf('/') >= 0) {
			throw invalid(destination, "a name may not contain '/'");
		}
		checkLength(destination, start, MAX_NAME_BYTES);
		return name;
	}

	private static void checkLength(String destination, int start, int max) {
		int bytes = destination.substring(start).getBytes(StandardCharsets.UTF_8).length;
		if (bytes > max) {
			throw invalid(destination.substring(0, Math.min(destination.length(), start + 32)) + "...",
					"the name is " + bytes + " bytes, at most " + max);
		}
	}

	private static ClientRejection invalid(String destination, String reason) {
		return new ClientRejection(ClientError.INVALID_DESTINATION, destination + " (" + reason + ")");
	}

}
