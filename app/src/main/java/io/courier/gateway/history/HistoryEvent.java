package io.courier.gateway.history;

import org.jspecify.annotations.Nullable;

/**
 * One event of the history stream as SSE and poll clients see it.
 *
 * @param id the stream offset: the same on every node, increasing in publish order
 * @param destination the STOMP destination it was sent to, e.g. {@code /topic/orders.42}
 * or {@code /user/queue/order-updates}
 * @param user for a user destination, the user it is for; null for a topic
 * @param data the body as text (UTF-8)
 * @param contentType the message's content type, if it had one
 */
public record HistoryEvent(long id, String destination, @Nullable String user, String data,
		@Nullable String contentType) {

	/** The subscription key that receives this event: see {@link HistoryKeys#key}. */
	String key() {
		return HistoryKeys.key(this.destination, this.user);
	}

}
