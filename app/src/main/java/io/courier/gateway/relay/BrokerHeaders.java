package io.courier.gateway.relay;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.messaging.simp.stomp.StompCommand;

/**
 * The STOMP headers of client frames, sorted by who acts on them: the ones the STOMP 1.2
 * specification gives clients (the relay handles them), and the ones RabbitMQ's STOMP
 * plugin acts on beyond the specification (queue names and arguments, message properties,
 * prefetch...), which a client may send only where a rule allows them. On SEND, any other
 * header is an application header: RabbitMQ passes it to consumers in the message's
 * headers.
 *
 * <p>
 * RabbitMQ's names are the plugin's ({@code rabbit_stomp_util}, 3.10): queue declaration
 * ({@code durable}, {@code auto-delete}, {@code exclusive}, {@code x-queue-name}, every
 * {@code x-} argument, {@code x-stream-offset}), consumption ({@code prefetch-count}),
 * NACK ({@code requeue}), and the AMQP properties a SEND sets ({@code persistent},
 * {@code priority}, {@code expiration}, {@code reply-to}, {@code user-id}, which RabbitMQ
 * checks against its own login and refuses by closing the connection, ...).
 */
public final class BrokerHeaders {

	/**
	 * Headers the specification gives each client frame; {@code content-*} may come on
	 * any frame.
	 */
	private static final Map<StompCommand, Set<String>> SPECIFIED = Map.of(StompCommand.SEND,
			Set.of("destination", "transaction", "receipt"), StompCommand.SUBSCRIBE,
			Set.of("destination", "id", "ack", "receipt"), StompCommand.UNSUBSCRIBE, Set.of("id", "receipt"),
			StompCommand.ACK, Set.of("id", "subscription", "message-id", "transaction", "receipt"), StompCommand.NACK,
			Set.of("id", "subscription", "message-id", "transaction", "receipt"), StompCommand.BEGIN,
			Set.of("transaction", "receipt"), StompCommand.COMMIT, Set.of("transaction", "receipt"), StompCommand.ABORT,
			Set.of("transaction", "receipt"), StompCommand.DISCONNECT, Set.of("receipt"));

	private static final Set<String> CONTENT = Set.of("content-length", "content-type");

	/** RabbitMQ acts on these (lower case), on whichever frame they come. */
	private static final Set<String> BROKER = Set.of("persistent", "priority", "expiration", "reply-to",
			"correlation-id", "message-id", "amqp-message-id", "timestamp", "type", "user-id", "app-id",
			"content-encoding", "cluster-id", "durable", "auto-delete", "exclusive", "prefetch-count", "requeue",
			"selector", "subscription", "ack", "id", "redelivered", "x-queue-name");

	/**
	 * Families RabbitMQ acts on: queue arguments, and the plugin's own {@code amqp-}
	 * names.
	 */
	private static final String[] BROKER_PREFIXES = { "x-", "amqp-" };

	/**
	 * Courier's own: {@code courier-*} headers the gateway stamps on messages (e.g. the
	 * session a user message is meant for) and Spring's native header for a user
	 * destination's original destination, which Spring puts back as the
	 * {@code destination} of what subscribers receive.
	 */
	private static final String[] GATEWAY_PREFIXES = { "courier-", "simporigdestination" };

	/**
	 * Courier's header on SUBSCRIBE proving order ownership; read by the gateway,
	 * meaningless to RabbitMQ.
	 */
	public static final String SUBSCRIPTION_TOKEN = "subscription-token";

	/**
	 * Courier's header on SUBSCRIBE asking for the destination's latest retained message
	 * first; such a subscription is served from history and never reaches RabbitMQ's
	 * STOMP plugin.
	 */
	public static final String LAST = "courier-last";

	/**
	 * Courier's header on SUBSCRIBE resuming after a history id: the messages after it
	 * first, then live ones; served from history like {@link #LAST}.
	 */
	public static final String SINCE = "courier-since";

	private BrokerHeaders() {
	}

	/**
	 * Whether the specification gives {@code command} this header (so the relay knows
	 * what to do with it).
	 */
	public static boolean isSpecified(StompCommand command, String name) {
		Set<String> specified = SPECIFIED.get(command);
		return CONTENT.contains(name) || (specified != null && specified.contains(name))
				|| (command == StompCommand.SUBSCRIBE
						&& (SUBSCRIPTION_TOKEN.equals(name) || LAST.equals(name) || SINCE.equals(name)));
	}

	/**
	 * Whether RabbitMQ gives this header a meaning (compared without case: a client must
	 * not slip past in capitals).
	 */
	public static boolean isBrokerHeader(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		if (BROKER.contains(lower)) {
			return true;
		}
		for (String prefix : BROKER_PREFIXES) {
			if (lower.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the gateway reserves this header for itself (no client may send it). */
	public static boolean isGatewayHeader(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		for (String prefix : GATEWAY_PREFIXES) {
			if (lower.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a frame carrying {@code name} asks nothing of the broker beyond the
	 * specification.
	 */
	public static boolean isPlain(StompCommand command, String name) {
		if (isSpecified(command, name)) {
			return true;
		}
		return command == StompCommand.SEND && !isBrokerHeader(name) && !isGatewayHeader(name);
	}

}
