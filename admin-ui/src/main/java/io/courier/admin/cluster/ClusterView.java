package io.courier.admin.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.courier.contract.LimitHit;
import io.courier.contract.NodeStatus;
import io.courier.contract.SessionInfo;

/**
 * The cluster as the console hears it on {@code courier.cluster}: nodes (from
 * heart-beats), every session (joins, leaves, snapshots), users online, and the recent
 * online/offline changes and limit hits (bounded). The same rules as the gateways' own
 * presence registry: a node silent for {@link ClusterProperties#nodeExpiry()} is gone,
 * and its sessions with it.
 *
 * <p>
 * A plain object (the listener feeds it, pages read it); each change is reported to a
 * listener by topic ({@code nodes}, {@code sessions}, {@code presence}, {@code limits})
 * so that open pages can refresh.
 */
public class ClusterView {

	public static final String NODES = "nodes";

	public static final String SESSIONS = "sessions";

	public static final String PRESENCE = "presence";

	public static final String LIMITS = "limits";

	private final Duration expiry;

	private final int history;

	private final Consumer<String> changes;

	private final Map<String, NodeEntry> nodes = new TreeMap<>();

	private final Map<String, SessionInfo> sessions = new LinkedHashMap<>();

	private final Deque<PresenceChange> presenceChanges = new ArrayDeque<>();

	private final Deque<LimitHit> limitHits = new ArrayDeque<>();

	public ClusterView(Duration expiry, int history, Consumer<String> changes) {
		this.expiry = expiry;
		this.history = history;
		this.changes = changes;
	}

	public synchronized void heartbeat(String nodeId, @Nullable NodeStatus status, Instant now) {
		NodeEntry entry = this.nodes.computeIfAbsent(nodeId, (id) -> new NodeEntry());
		entry.heartbeat(status, now);
		this.changes.accept(NODES);
	}

	public synchronized void join(SessionInfo session, Instant now) {
		touch(session.nodeId(), now);
		boolean wasOnline = isOnline(session.user());
		this.sessions.put(session.sessionId(), session);
		if (!wasOnline) {
			record(this.presenceChanges, new PresenceChange(now, session.user(), true, session.nodeId()));
		}
		this.changes.accept(SESSIONS);
	}

	public synchronized void leave(String sessionId, Instant now) {
		SessionInfo gone = this.sessions.remove(sessionId);
		if (gone != null) {
			wentAway(gone, now);
			this.changes.accept(SESSIONS);
		}
	}

	/** A node's full list of sessions: replaces what the console knew of that node. */
	public synchronized void snapshot(String nodeId, List<SessionInfo> sessions, Instant now) {
		touch(nodeId, now);
		List<SessionInfo> before = sessionsOn(nodeId);
		before.forEach((s) -> this.sessions.remove(s.sessionId()));
		for (SessionInfo session : sessions) {
			boolean wasOnline = isOnline(session.user());
			this.sessions.put(session.sessionId(), session);
			if (!wasOnline) {
				record(this.presenceChanges, new PresenceChange(now, session.user(), true, nodeId));
			}
		}
		before.stream().filter((s) -> !this.sessions.containsKey(s.sessionId())).forEach((s) -> wentAway(s, now));
		this.changes.accept(SESSIONS);
	}

	public synchronized void removeNode(String nodeId, Instant now) {
		if (this.nodes.remove(nodeId) != null) {
			List<SessionInfo> gone = sessionsOn(nodeId);
			gone.forEach((s) -> this.sessions.remove(s.sessionId()));
			gone.forEach((s) -> wentAway(s, now));
			this.changes.accept(NODES);
			this.changes.accept(SESSIONS);
		}
	}

	/** Drops the nodes silent for longer than the expiry. */
	public synchronized void expire(Instant now) {
		List<String> silent = this.nodes.entrySet()
			.stream()
			.filter((e) -> e.getValue().lastHeartbeat.plus(this.expiry).isBefore(now))
			.map(Map.Entry::getKey)
			.toList();
		silent.forEach((nodeId) -> removeNode(nodeId, now));
	}

	public synchronized void limitHit(LimitHit hit) {
		record(this.limitHits, hit);
		this.changes.accept(LIMITS);
	}

	public synchronized List<NodeView> nodes() {
		Map<String, Integer> counts = new HashMap<>();
		this.sessions.values().forEach((s) -> counts.merge(s.nodeId(), 1, Integer::sum));
		return this.nodes.entrySet()
			.stream()
			.map((e) -> e.getValue().view(e.getKey(), counts.getOrDefault(e.getKey(), 0)))
			.toList();
	}

	public synchronized List<String> nodeIds() {
		return List.copyOf(this.nodes.keySet());
	}

	public synchronized List<SessionInfo> sessions() {
		List<SessionInfo> all = new ArrayList<>(this.sessions.values());
		all.sort(Comparator.comparing(SessionInfo::user).thenComparing(SessionInfo::sessionId));
		return all;
	}

	public synchronized @Nullable SessionInfo session(String sessionId) {
		return this.sessions.get(sessionId);
	}

	/** Users online, with their number of sessions, by user name. */
	public synchronized Map<String, Integer> online() {
		Map<String, Integer> online = new TreeMap<>();
		this.sessions.values().forEach((s) -> online.merge(s.user(), 1, Integer::sum));
		return online;
	}

	public synchronized List<SessionInfo> sessionsOf(String user) {
		return this.sessions.values().stream().filter((s) -> s.user().equals(user)).toList();
	}

	/** Newest first. */
	public synchronized List<PresenceChange> presenceChanges() {
		return newestFirst(this.presenceChanges);
	}

	/** Newest first. */
	public synchronized List<LimitHit> limitHits() {
		return newestFirst(this.limitHits);
	}

	private void touch(String nodeId, Instant now) {
		this.nodes.computeIfAbsent(nodeId, (id) -> {
			this.changes.accept(NODES);
			return new NodeEntry();
		}).lastHeartbeat = now;
	}

	private boolean isOnline(String user) {
		return this.sessions.values().stream().anyMatch((s) -> s.user().equals(user));
	}

	private void wentAway(SessionInfo session, Instant now) {
		if (!isOnline(session.user())) {
			record(this.presenceChanges, new PresenceChange(now, session.user(), false, session.nodeId()));
			this.changes.accept(PRESENCE);
		}
	}

	private <T> void record(Deque<T> deque, T item) {
		deque.addLast(item);
		while (deque.size() > this.history) {
			deque.removeFirst();
		}
		if (item instanceof PresenceChange) {
			this.changes.accept(PRESENCE);
		}
	}

	private static <T> List<T> newestFirst(Collection<T> items) {
		List<T> list = new ArrayList<>(items);
		java.util.Collections.reverse(list);
		return list;
	}

	private List<SessionInfo> sessionsOn(String nodeId) {
		return this.sessions.values().stream().filter((s) -> s.nodeId().equals(nodeId)).toList();
	}

	/** Heart-beat state of one node; frame rates from its last two heart-beats. */
	private static final class NodeEntry {

		private Instant lastHeartbeat = Instant.EPOCH;

		private @Nullable NodeStatus status;

		private @Nullable Instant statusAt;

		private double framesIn;

		private double framesOut;

		void heartbeat(@Nullable NodeStatus next, Instant now) {
			NodeStatus previous = this.status;
			Instant previousAt = this.statusAt;
			if (next != null) {
				if (previous != null && previousAt != null && now.isAfter(previousAt)) {
					double seconds = Duration.between(previousAt, now).toMillis() / 1000.0;
					this.framesIn = Math.max(0, next.framesIn() - previous.framesIn()) / seconds;
					this.framesOut = Math.max(0, next.framesOut() - previous.framesOut()) / seconds;
				}
				this.status = next;
				this.statusAt = now;
			}
			this.lastHeartbeat = now;
		}

		NodeView view(String nodeId, int sessions) {
			return new NodeView(nodeId, this.status, this.lastHeartbeat, sessions, this.framesIn, this.framesOut);
		}

	}

}
