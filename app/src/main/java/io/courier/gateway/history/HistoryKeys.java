package io.courier.gateway.history;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The keys events are dispatched and kept under: one per topic destination, one per user
 * and user destination. SSE, polling and STOMP history subscriptions ask here whether
 * history keeps a destination.
 */
public final class HistoryKeys {

	private static final String TOPIC = "/topic/";

	private HistoryKeys() {
	}

	/**
	 * The key an event is dispatched under: the destination for a topic, the destination
	 * and the user for a user destination (which means the caller's own).
	 */
	public static String key(String destination, @Nullable String user) {
		return (user != null) ? destination + "\n" + user : destination;
	}

	/**
	 * The key of {@code destination} for {@code user} if history keeps it: a user
	 * destination of {@link UserEventHistory#DESTINATIONS}, or {@code /topic/{key}} with
	 * a key matching a pattern; else null.
	 */
	public static @Nullable String historyKey(String destination, String user, List<String> topicPatterns) {
		if (UserEventHistory.DESTINATIONS.contains(destination)) {
			return key(destination, user);
		}
		if (destination.startsWith(TOPIC)
				&& TopicPatterns.matchesAny(topicPatterns, destination.substring(TOPIC.length()))) {
			return key(destination, null);
		}
		return null;
	}

	/** What history keeps, for refusals. */
	public static String kept(List<String> topicPatterns) {
		return "history keeps " + String.join(", ", UserEventHistory.DESTINATIONS) + " and /topic/ keys matching "
				+ topicPatterns;
	}

}
