package io.courier.gateway.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One SSE stream, held poll or STOMP history subscription, as {@link HistoryHub} sees it:
 * the keys it receives and the id of the last event it was given. It is registered for
 * live events before its missed events are read, so the live events that arrive meanwhile
 * are held (up to {@code limit}) and given after the replay; an event whose id is not
 * above the last one given is dropped. That is the whole seam: no gap, no duplicate.
 *
 * <p>
 * Subclasses say how events reach the client. Every hook runs under this object's lock,
 * in id order.
 */
public abstract class HistorySubscriber {

	/**
	 * How the client receives its events: the {@code transport} tag of
	 * {@code courier.history.subscribers}.
	 */
	public enum Transport {

		/** An SSE stream ({@code /sse}). */
		SSE,

		/** A held poll ({@code /poll}). */
		POLL,

		/**
		 * A STOMP subscription served from history ({@code courier-last},
		 * {@code courier-since}).
		 */
		STOMP;

		/** The tag value: {@code sse}, {@code poll}, {@code stomp}. */
		public String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Transport transport;

	private final String sessionId;

	private final String user;

	private final Set<String> keys;

	private final int limit;

	private final List<HistoryEvent> held = new ArrayList<>();

	private boolean replaying = true;

	/**
	 * Waiting for the latest events before the cursor ({@link #retained}), rather than
	 * for missed ones.
	 */
	private boolean awaitingRetained;

	private boolean closed;

	private long lastId = -1;

	public HistorySubscriber(Transport transport, String sessionId, String user, Set<String> keys, int limit) {
		this.transport = transport;
		this.sessionId = sessionId;
		this.user = user;
		this.keys = keys;
		this.limit = limit;
	}

	public Transport transport() {
		return this.transport;
	}

	public String sessionId() {
		return this.sessionId;
	}

	public String user() {
		return this.user;
	}

	public Set<String> keys() {
		return this.keys;
	}

	public int limit() {
		return this.limit;
	}

	boolean receives(HistoryEvent event) {
		return this.keys.contains(event.key());
	}

	public synchronized long lastId() {
		return this.lastId;
	}

	/**
	 * Registration, under the hub's lock: events after {@code cursor} are this
	 * subscriber's.
	 */
	final synchronized void start(long cursor, boolean resumed) {
		this.lastId = cursor;
		started(cursor, resumed);
	}

	/**
	 * Registered to get the latest events first ({@link #retained}); under the hub's
	 * lock, after {@link #start}.
	 */
	final synchronized void awaitRetained() {
		this.awaitingRetained = true;
	}

	/** A live event from the node's consumer. */
	final synchronized void offer(HistoryEvent event) {
		if (this.closed || event.id() <= this.lastId) {
			return;
		}
		if (this.replaying) {
			if (this.held.size() >= this.limit && this.awaitingRetained) {
				// more live events came while the latest was being looked up than the
				// buffer holds: they are newer
				// than anything retained, so the subscriber goes live with them and the
				// lookup's answer is dropped
				goLive();
				if (!this.closed && event.id() > this.lastId) {
					this.lastId = event.id();
					deliver(event);
				}
				return;
			}
			if (this.held.size() >= this.limit) {
				behind("more than " + this.limit + " events arrived while catching up");
				return;
			}
			this.held.add(event);
			return;
		}
		this.lastId = event.id();
		deliver(event);
	}

	/**
	 * The missed events, in order. {@code complete} false: there were more than one
	 * buffer holds; the subscriber gets those and ends, and its client continues from the
	 * last one.
	 */
	final synchronized void replayed(List<HistoryEvent> events, boolean complete) {
		for (HistoryEvent event : events) {
			if (this.closed) {
				return;
			}
			if (event.id() > this.lastId) {
				this.lastId = event.id();
				deliver(event);
			}
		}
		if (!complete && !this.closed) {
			behind("more than " + this.limit + " events to catch up");
			return;
		}
		goLive();
	}

	/**
	 * The latest event of each key up to the registration cursor, in id order (none for a
	 * key that has none), for a subscriber that asked for the retained state; then live
	 * events.
	 */
	final synchronized void retained(List<HistoryEvent> latest) {
		if (!this.replaying) {
			return; // went live without them: see offer
		}
		for (HistoryEvent event : latest) {
			if (this.closed) {
				return;
			}
			deliverRetained(event);
		}
		goLive();
	}

	/**
	 * The missed events are no longer kept (or the id is unknown): start again at
	 * {@code cursor}.
	 */
	final synchronized void reset(long cursor, String reason) {
		if (this.closed) {
			return;
		}
		this.lastId = cursor;
		deliverReset(cursor, reason);
		goLive();
	}

	/** No more events; the hub drops it. */
	public final synchronized void close() {
		this.closed = true;
		this.held.clear();
	}

	public final synchronized boolean isClosed() {
		return this.closed;
	}

	private void goLive() {
		this.replaying = false;
		for (HistoryEvent event : this.held) {
			if (this.closed) {
				break;
			}
			if (event.id() > this.lastId) {
				this.lastId = event.id();
				deliver(event);
			}
		}
		this.held.clear();
		if (!this.closed) {
			caughtUp();
		}
	}

	/** Registered at {@code cursor}; {@code resumed}: the client named it. */
	protected abstract void started(long cursor, boolean resumed);

	protected abstract void deliver(HistoryEvent event);

	/** The latest event before the subscription, marked as such for the client. */
	protected abstract void deliverRetained(HistoryEvent event);

	protected abstract void deliverReset(long cursor, String reason);

	/** Missed events were all given (or there were none): live from now on. */
	protected abstract void caughtUp();

	/**
	 * The client is further behind than its buffer: end it, saying why; it resumes from
	 * its last id.
	 */
	protected abstract void behind(String reason);

	/** History could not be read; end it, saying why. */
	protected abstract void failed(String reason);

}
