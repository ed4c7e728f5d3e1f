package io.courier.gateway.history;

import java.util.Set;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * History for subscribers of other transports (STOMP): the same hub, seam and catch-up as
 * SSE and poll, behind a small interface, so a transport never sees the hub's types. A
 * subscription gets the latest event of its destination first (marked retained), then
 * every live event in id order, each with its history id.
 */
@Component
public class HistorySubscriptions {

	/**
	 * Where one subscription's events go; every call for a subscription comes in id
	 * order, one at a time.
	 */
	public interface Sink {

		/**
		 * @param id the history id (the same on every node, and on SSE and poll)
		 * @param destination the destination as the client subscribed to it
		 * @param retained true for the latest event from before the subscription
		 */
		void event(long id, String destination, String data, @Nullable String contentType, boolean retained);

		/**
		 * The id resumed from is no longer kept (or unknown): what was missed cannot be
		 * given; the subscription goes on live from {@code cursor}, and the client should
		 * refetch its state.
		 */
		void reset(long cursor, String reason);

		/**
		 * The subscription cannot go on (it fell behind while catching up, or history
		 * could not be read).
		 */
		void end(Ending ending, String reason);

	}

	/** Why a subscription ended. */
	public enum Ending {

		/** More live events arrived while catching up than the client buffer holds. */
		BEHIND,
		/** History could not be read. */
		UNAVAILABLE

	}

	/** A subscription; {@link #cancel} stops it. */
	public interface Subscription {

		void cancel();

	}

	private final HistoryHub hub;

	private final HistoryProperties properties;

	HistorySubscriptions(HistoryHub hub, HistoryProperties properties) {
		this.hub = hub;
		this.properties = properties;
	}

	/**
	 * Null when {@code destination} is kept in history for {@code user}, else why not
	 * (for the client).
	 */
	public @Nullable String refusal(String destination, String user) {
		return (HistoryKeys.historyKey(destination, user, this.properties.topics()) != null) ? null
				: HistoryKeys.kept(this.properties.topics());
	}

	/**
	 * Subscribes {@code sink} to {@code destination}, latest event first;
	 * {@code registered} gets its position (the id it continues after) once it is in
	 * place, before the first event.
	 * @throws IllegalArgumentException if history does not keep the destination (see
	 * {@link #refusal})
	 */
	public Subscription latestThenLive(String sessionId, String user, String destination, Sink sink,
			LongConsumer registered) {
		SinkSubscriber subscriber = subscriber(sessionId, user, destination, sink);
		this.hub.subscribeLatest(subscriber, registered);
		return () -> this.hub.unsubscribe(subscriber);
	}

	/**
	 * Subscribes {@code sink} to {@code destination} after id {@code since}: the messages
	 * it missed first, in order, then live ones (or a reset when {@code since} is no
	 * longer kept); {@code registered} gets its position once it is in place, before the
	 * first event.
	 * @throws IllegalArgumentException if history does not keep the destination (see
	 * {@link #refusal})
	 */
	public Subscription resume(String sessionId, String user, String destination, long since, Sink sink,
			LongConsumer registered) {
		SinkSubscriber subscriber = subscriber(sessionId, user, destination, sink);
		this.hub.subscribe(subscriber, since, registered);
		return () -> this.hub.unsubscribe(subscriber);
	}

	private SinkSubscriber subscriber(String sessionId, String user, String destination, Sink sink) {
		String key = HistoryKeys.historyKey(destination, user, this.properties.topics());
		if (key == null) {
			throw new IllegalArgumentException(destination + ": " + HistoryKeys.kept(this.properties.topics()));
		}
		return new SinkSubscriber(sessionId, user, Set.of(key), this.properties.clientBuffer(), destination, sink);
	}

	private static final class SinkSubscriber extends HistorySubscriber {

		private final String destination;

		private final Sink sink;

		SinkSubscriber(String sessionId, String user, Set<String> keys, int limit, String destination, Sink sink) {
			super(Transport.STOMP, sessionId, user, keys, limit);
			this.destination = destination;
			this.sink = sink;
		}

		@Override
		protected void started(long cursor, boolean resumed) {
		}

		@Override
		protected void deliver(HistoryEvent event) {
			this.sink.event(event.id(), this.destination, event.data(), event.contentType(), false);
		}

		@Override
		protected void deliverRetained(HistoryEvent event) {
			this.sink.event(event.id(), this.destination, event.data(), event.contentType(), true);
		}

		@Override
		protected void deliverReset(long cursor, String reason) {
			this.sink.reset(cursor, reason);
		}

		@Override
		protected void caughtUp() {
		}

		@Override
		protected void behind(String reason) {
			close();
			this.sink.end(Ending.BEHIND, reason);
		}

		@Override
		protected void failed(String reason) {
			close();
			this.sink.end(Ending.UNAVAILABLE, reason);
		}

	}

}
