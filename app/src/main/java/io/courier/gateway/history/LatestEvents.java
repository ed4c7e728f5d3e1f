package io.courier.gateway.history;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The latest event of each of the most recently used subscription keys, for subscribers
 * that ask for the retained state ({@code courier-last}, {@code last=1}) before live
 * events. Not thread-safe: {@link HistoryHub} uses it under its lock.
 *
 * <p>
 * Every event the node's history consumer hands over updates its key's entry, so an
 * entry, once there, stays right for as long as the consumer runs without missing a
 * message (it resubscribes after the last offset it saw). A key that is not here is
 * looked up in the stream, and the answer, "this event" or "none in the last
 * {@code courier.sse.last-lookback} messages", is kept unless a live event got there
 * first. The least recently used entry goes when the map is full.
 */
final class LatestEvents {

	private final Map<String, Optional<HistoryEvent>> entries;

	LatestEvents(int capacity) {
		this.entries = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Optional<HistoryEvent>> eldest) {
				return size() > capacity;
			}
		};
	}

	/** A live event: the latest of its key from now on. */
	void live(HistoryEvent event) {
		this.entries.put(event.key(), Optional.of(event));
	}

	/**
	 * What is known of {@code key}: the latest event, {@code Optional.empty()} for
	 * "none", or null when it must be looked up.
	 */
	@Nullable Optional<HistoryEvent> get(String key) {
		return this.entries.get(key);
	}

	/**
	 * A stream lookup's answer ({@code null}: no event), kept only if no live event came
	 * meanwhile.
	 */
	void looked(String key, @Nullable HistoryEvent latest) {
		this.entries.putIfAbsent(key, Optional.ofNullable(latest));
	}

	/**
	 * The consumer lost messages (it started over): nothing known is certain any more.
	 */
	void clear() {
		this.entries.clear();
	}

	int size() {
		return this.entries.size();
	}

}
