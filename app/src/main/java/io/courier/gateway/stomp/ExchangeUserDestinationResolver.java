package io.courier.gateway.stomp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.simp.user.UserDestinationResult;

/**
 * Resolves user destinations to one routing key per (destination, user) on the
 * {@code courier.user} direct exchange: {@code /user/queue/order-updates} of any session
 * of {@code alice}, and a message to {@code /user/alice/queue/order-updates}, both become
 * {@code /exchange/courier.user/queue.order-updates.u.YWxpY2U} (the user name in unpadded
 * base64url, or {@code .h.} and its SHA-256 when that would make the key too long).
 *
 * <p>
 * Each SUBSCRIBE binds an exclusive, auto-deleted queue with that key, and RabbitMQ
 * removes it with the subscription; a message to the user is one publish that RabbitMQ
 * routes to every session of the user, on every node. No node needs to know which
 * sessions the others hold: Spring's default resolution (one key per session, found in a
 * user registry that nodes broadcast to each other every 10 s) missed a session opened on
 * another node until the next broadcast, and made every node send its whole user list to
 * all the others. Spring's default also declares a durable {@code /queue/} per session
 * that outlives it (spring-framework #34734). Messages for a user with no live
 * subscription are dropped, exactly as for a topic.
 *
 * <p>
 * A message meant for one session of the user ({@code @SendToUser(broadcast = false)}, or
 * a {@code simpSessionId} header) resolves to the same key: {@link UserSessionFilter}
 * carries the session id to the broker as {@code courier-session} and drops the copies
 * that reach the user's other sessions.
 */
public class ExchangeUserDestinationResolver implements UserDestinationResolver {

	/**
	 * Destination prefix relayed to RabbitMQ for user destinations; clients may never use
	 * it directly.
	 */
	static final String PREFIX = "/exchange/courier.user/";

	/** The exchange user destinations ride. */
	public static final String EXCHANGE = "courier.user";

	/**
	 * The routing key on {@link #EXCHANGE} of {@code user}'s {@code /user/queue/x}: what
	 * a backend publishes to so that every session of the user subscribed to
	 * {@code /user/queue/x} receives it, on every node.
	 * @param userDestination {@code /user/queue/x}
	 */
	public static String routingKey(String userDestination, String user) {
		return target(userDestination.substring(USER_PREFIX.length() - 1), user).substring(PREFIX.length());
	}

	private static final String USER_PREFIX = "/user/";

	/** Routing keys are at most 255 bytes; longer encoded names are hashed. */
	private static final int MAX_ENCODED_NAME = 128;

	@Override
	public @Nullable UserDestinationResult resolveDestination(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		String source = SimpMessageHeaderAccessor.getDestination(headers);
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(headers);
		if (source == null || type == null || !source.startsWith(USER_PREFIX)) {
			return null;
		}
		String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
		return switch (type) {
			case SUBSCRIBE, UNSUBSCRIBE -> subscription(source, sessionId, SimpMessageHeaderAccessor.getUser(headers));
			case MESSAGE -> message(source);
			default -> null;
		};
	}

	/** {@code /user/queue/x} of the session's own user. */
	private static @Nullable UserDestinationResult subscription(String source, @Nullable String sessionId,
			@Nullable Principal principal) {
		if (sessionId == null || principal == null) {
			return null; // every Courier session is authenticated at CONNECT
		}
		String actual = source.substring(USER_PREFIX.length() - 1);
		return new UserDestinationResult(source, Set.of(target(actual, principal.getName())), source,
				principal.getName(), Set.of(sessionId));
	}

	/** {@code /user/{name}/queue/x}. */
	private static @Nullable UserDestinationResult message(String source) {
		String user = namedUser(source);
		if (user == null) {
			return null;
		}
		String actual = source.substring(source.indexOf('/', USER_PREFIX.length()));
		return new UserDestinationResult(source, Set.of(target(actual, user)), "/user" + actual, user, Set.of());
	}

	/**
	 * The user that {@code /user/{name}/...} names, with '/' in the name escaped as
	 * {@code %2F} (Spring's convention), or {@code null} for any other destination.
	 */
	static @Nullable String namedUser(String destination) {
		if (!destination.startsWith(USER_PREFIX)) {
			return null;
		}
		int userEnd = destination.indexOf('/', USER_PREFIX.length());
		if (userEnd <= USER_PREFIX.length()) {
			return null;
		}
		return destination.substring(USER_PREFIX.length(), userEnd).replace("%2F", "/");
	}

	/**
	 * {@code /queue/orders/updates} of {@code alice} →
	 * {@code /exchange/courier.user/queue.orders.updates.u.YWxpY2U}.
	 */
	static String target(String actualDestination, String user) {
		String key = actualDestination.substring(1).replace('/', '.');
		return PREFIX + key + userKey(user);
	}

	private static String userKey(String user) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		byte[] name = user.getBytes(StandardCharsets.UTF_8);
		String encoded = base64.encodeToString(name);
		if (encoded.length() <= MAX_ENCODED_NAME) {
			return ".u." + encoded;
		}
		try {
			return ".h." + base64.encodeToString(MessageDigest.getInstance("SHA-256").digest(name));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java platform", ex);
		}
	}

}
