package io.courier.gateway.history;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * This node's SSE and poll subscribers and what the node's one history consumer hands
 * them. Events arrive here in offset order; each goes to the subscribers of its key, and
 * into a window of recent events (the last {@code courier.sse.recent-events}) that
 * resumes most clients without reading the stream.
 *
 * <p>
 * A subscriber is registered, under the lock that also orders events, at the current
 * head: live events after the head are its own. A resuming client's missed events, from
 * its id to that head, come from the window when it covers them, else from
 * {@link HistoryReader}; an id older than the stream's first gets {@code reset}, and an
 * id beyond what this node has seen is taken as a lagging node for {@link #AHEAD_GRACE},
 * then reset.
 */
@Component
public class HistoryHub {

	private static final Log logger = LogFactory.getLog(HistoryHub.class);

	static final Duration AHEAD_GRACE = Duration.ofSeconds(5);

	private final Object lock = new Object();

	private final Map<String, Set<HistorySubscriber>> byKey = new HashMap<>();

	private final Set<HistorySubscriber> subscribers = new LinkedHashSet<>();

	private final ArrayDeque<HistoryEvent> recent = new ArrayDeque<>();

	private final int recentCapacity;

	private final LatestEvents latest;

	/** Stream reads for the latest event of a key, running. */
	private final Map<String, CompletableFuture<Optional<HistoryEvent>>> lookups = new HashMap<>();

	private final long lastLookback;

	private final HistoryReader reader;

	private final Executor replays;

	private final TaskScheduler scheduler;

	private final CountDownLatch ready = new CountDownLatch(1);

	/** Last offset the node's consumer handed over, -1 before any. */
	private long head = -1;

	/**
	 * Every message from this offset to {@link #head} went through {@link #onMessage}
	 * since the consumer (re)started, so {@link #recent} holds all events in that range;
	 * -1 when nothing is.
	 */
	private long recentFrom = -1;

	HistoryHub(HistoryProperties properties, HistoryReader reader, HistoryThreads threads, MeterRegistry meters) {
		this.recentCapacity = properties.recentEvents();
		this.latest = new LatestEvents(properties.lastKeys());
		this.lastLookback = properties.lastLookback();
		this.reader = reader;
		this.replays = threads.replays();
		this.scheduler = threads.scheduler();
		for (HistorySubscriber.Transport transport : HistorySubscriber.Transport.values()) {
			Gauge.builder("courier.history.subscribers", this, (hub) -> hub.size(transport))
				.description("Clients served from history on this node: SSE streams, held polls, STOMP subscriptions")
				.tag("transport", transport.tag())
				.register(meters);
		}
		// Deprecated, for one release: the sum of courier.history.subscribers, under its
		// old name.
		Gauge.builder("courier.sse.subscribers", this, HistoryHub::size)
			.description("Deprecated: the sum of courier_history_subscribers over transport")
			.register(meters);
		Gauge.builder("courier.history.latest.keys", this, HistoryHub::latestKeys)
			.description("Destinations whose latest event this node knows without reading the stream")
			.register(meters);
	}

	/**
	 * One message of the stream, in offset order; {@code event} null for one that is for
	 * no client.
	 */
	void onMessage(long offset, @Nullable HistoryEvent event) {
		List<HistorySubscriber> targets = List.of();
		synchronized (this.lock) {
			if (offset <= this.head) {
				return;
			}
			if (this.recentFrom < 0) {
				this.recentFrom = offset;
			}
			this.head = offset;
			if (event != null) {
				this.latest.live(event);
				if (this.recentCapacity > 0) {
					if (this.recent.size() == this.recentCapacity) {
						this.recentFrom = this.recent.removeFirst().id() + 1;
					}
					this.recent.addLast(event);
				}
				else {
					this.recentFrom = offset + 1;
				}
				Set<HistorySubscriber> subscribed = this.byKey.get(event.key());
				if (subscribed != null) {
					targets = new ArrayList<>(subscribed);
				}
			}
		}
		markReady();
		for (HistorySubscriber subscriber : targets) {
			subscriber.offer(event);
		}
	}

	/**
	 * The consumer subscribes again after a lost connection. Stream offsets are not
	 * contiguous (RabbitMQ leaves gaps), so a gap cannot tell "trimmed while away" from
	 * "no message there": the window starts afresh.
	 */
	void restart() {
		synchronized (this.lock) {
			this.recent.clear();
			this.recentFrom = -1;
			this.latest.clear();
		}
	}

	/**
	 * The consumer knows where the stream ends (it received its last chunk, or found it
	 * empty).
	 */
	void markReady() {
		this.ready.countDown();
	}

	public boolean awaitReady(Duration timeout) throws InterruptedException {
		return this.ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	long head() {
		synchronized (this.lock) {
			return this.head;
		}
	}

	int size() {
		synchronized (this.lock) {
			return this.subscribers.size();
		}
	}

	private int size(HistorySubscriber.Transport transport) {
		synchronized (this.lock) {
			return (int) this.subscribers.stream().filter((subscriber) -> subscriber.transport() == transport).count();
		}
	}

	/**
	 * Registers the subscriber and gives it what it missed after {@code since} (null:
	 * nothing, live from now).
	 */
	public void subscribe(HistorySubscriber subscriber, @Nullable Long since) {
		subscribe(subscriber, since, (position) -> {
		});
	}

	/**
	 * As above; {@code registered} gets the subscriber's position (the id it continues
	 * after) once it is in place, before the first event is given.
	 */
	public void subscribe(HistorySubscriber subscriber, @Nullable Long since,
			java.util.function.LongConsumer registered) {
		long cursor;
		List<HistoryEvent> fromWindow = null;
		boolean fromStream = false;
		synchronized (this.lock) {
			cursor = this.head;
			subscriber.start((since != null) ? since : cursor, since != null);
			register(subscriber);
			if (since != null && since < cursor) {
				if (this.recentFrom >= 0 && since + 1 >= this.recentFrom) {
					fromWindow = new ArrayList<>();
					for (HistoryEvent event : this.recent) {
						if (event.id() > since && subscriber.receives(event)) {
							fromWindow.add(event);
						}
					}
				}
				else {
					fromStream = true;
				}
			}
		}
		registered.accept((since != null) ? since : cursor);
		if (fromStream) {
			long until = cursor;
			this.replays.execute(() -> replayFromStream(subscriber, since, until));
		}
		else if (fromWindow != null) {
			int limit = subscriber.limit();
			boolean complete = fromWindow.size() <= limit;
			subscriber.replayed(complete ? fromWindow : fromWindow.subList(0, limit), complete);
		}
		else {
			subscriber.replayed(List.of(), true);
			if (since != null && since > cursor) {
				this.scheduler.schedule(() -> resetIfStillAhead(subscriber, since),
						java.time.Instant.now().plus(AHEAD_GRACE));
			}
		}
	}

	/**
	 * Registers a subscriber that wants the latest event of each of its keys first (what
	 * the node has seen, else the last {@code courier.sse.last-lookback} messages of the
	 * stream, read once per key and then kept), then live events. Registered at the head
	 * under the lock, so nothing falls between the two; {@code registered} gets that head
	 * then (the subscriber's position until an event comes), before the first event is
	 * given.
	 */
	public void subscribeLatest(HistorySubscriber subscriber, java.util.function.LongConsumer registered) {
		long cursor;
		List<HistoryEvent> known = new ArrayList<>();
		List<CompletableFuture<Optional<HistoryEvent>>> waiting = new ArrayList<>();
		Map<String, CompletableFuture<Optional<HistoryEvent>>> toRead = new LinkedHashMap<>();
		synchronized (this.lock) {
			cursor = this.head;
			subscriber.start(cursor, false);
			subscriber.awaitRetained();
			register(subscriber);
			for (String key : subscriber.keys()) {
				Optional<HistoryEvent> entry = this.latest.get(key);
				if (entry != null) {
					entry.ifPresent(known::add);
				}
				else if (cursor >= 0) {
					// one read per key at a time: subscribers that ask while it runs wait
					// for the same answer
					// (no live event came for the key meanwhile, or it would be known)
					CompletableFuture<Optional<HistoryEvent>> lookup = this.lookups.get(key);
					if (lookup == null) {
						lookup = new CompletableFuture<>();
						this.lookups.put(key, lookup);
						toRead.put(key, lookup);
					}
					waiting.add(lookup);
				}
			}
		}
		registered.accept(cursor);
		if (waiting.isEmpty()) {
			subscriber.retained(inOrder(known));
			return;
		}
		if (!toRead.isEmpty()) {
			this.replays.execute(() -> lookUp(toRead, cursor));
		}
		CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).whenComplete((done, ex) -> {
			if (ex != null) {
				synchronized (subscriber) {
					subscriber.failed("history unavailable; reconnect");
				}
				return;
			}
			for (CompletableFuture<Optional<HistoryEvent>> lookup : waiting) {
				lookup.join().ifPresent(known::add);
			}
			subscriber.retained(inOrder(known));
		});
	}

	/**
	 * Reads the latest events of {@code keys} up to {@code cursor} from the stream and
	 * keeps the answers.
	 */
	private void lookUp(Map<String, CompletableFuture<Optional<HistoryEvent>>> keys, long cursor) {
		Map<String, HistoryEvent> read;
		try {
			read = this.reader.latest(keys.keySet(), cursor, this.lastLookback);
		}
		catch (Exception ex) {
			logger.warn("Could not read the latest events of " + keys.size() + " destination(s) up to id " + cursor
					+ ": " + ex);
			synchronized (this.lock) {
				keys.keySet().forEach(this.lookups::remove);
			}
			keys.values().forEach((lookup) -> lookup.completeExceptionally(ex));
			return;
		}
		synchronized (this.lock) {
			for (String key : keys.keySet()) {
				this.latest.looked(key, read.get(key));
				this.lookups.remove(key);
			}
		}
		keys.forEach((key, lookup) -> lookup.complete(Optional.ofNullable(read.get(key))));
	}

	private static List<HistoryEvent> inOrder(List<HistoryEvent> events) {
		List<HistoryEvent> sorted = new ArrayList<>(events);
		sorted.sort(java.util.Comparator.comparingLong(HistoryEvent::id));
		return sorted;
	}

	/** Keys known to {@link LatestEvents}, for the gauge. */
	int latestKeys() {
		synchronized (this.lock) {
			return this.latest.size();
		}
	}

	private void register(HistorySubscriber subscriber) {
		this.subscribers.add(subscriber);
		for (String key : subscriber.keys()) {
			this.byKey.computeIfAbsent(key, (k) -> new LinkedHashSet<>()).add(subscriber);
		}
	}

	public void unsubscribe(HistorySubscriber subscriber) {
		subscriber.close();
		synchronized (this.lock) {
			this.subscribers.remove(subscriber);
			for (String key : subscriber.keys()) {
				Set<HistorySubscriber> subscribed = this.byKey.get(key);
				if (subscribed != null) {
					subscribed.remove(subscriber);
					if (subscribed.isEmpty()) {
						this.byKey.remove(key);
					}
				}
			}
		}
	}

	public List<HistorySubscriber> subscribers() {
		synchronized (this.lock) {
			return List.copyOf(this.subscribers);
		}
	}

	private void replayFromStream(HistorySubscriber subscriber, long since, long until) {
		try {
			HistoryReader.Replay replay = this.reader.read(since, until, subscriber::receives, subscriber.limit());
			if (replay.gap()) {
				subscriber.reset(until, "events after id " + since + " are no longer kept");
			}
			else {
				subscriber.replayed(replay.events(), replay.complete());
			}
		}
		catch (Exception ex) {
			logger.warn(
					"Could not read history after id " + since + " for session " + subscriber.sessionId() + ": " + ex);
			synchronized (subscriber) {
				subscriber.failed("history unavailable; reconnect");
			}
		}
	}

	private void resetIfStillAhead(HistorySubscriber subscriber, long since) {
		long now = head();
		if (!subscriber.isClosed() && now < since && subscriber.lastId() == since) {
			subscriber.reset(now, "unknown event id " + since);
		}
	}

}
