package io.courier.gateway.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import io.courier.contract.SessionInfo;

/**
 * The cluster-wide presence view one node builds from what the nodes announce: sessions
 * per node and per user, and when each node was last heard from. Every change returns the
 * users whose online state flipped, so the caller can tell subscribers. A node silent for
 * longer than the expiry is dropped with all its sessions (a killed node announces
 * nothing). Plain object, synchronized: announcements arrive on one listener thread and
 * queries on request threads.
 */
class PresenceRegistry {

	/** A user's online state after a change. */
	record Transition(String user, boolean online, int sessions) {
	}

	private final Duration expiry;

	private final Map<String, Instant> nodesLastSeen = new HashMap<>();

	private final Map<String, Map<String, SessionInfo>> sessionsByNode = new HashMap<>();

	/**
	 * The same sessions by user, keyed by node and session id: every change costs the
	 * users it touches only.
	 */
	private final Map<String, Map<String, SessionInfo>> sessionsByUser = new HashMap<>();

	PresenceRegistry(Duration expiry) {
		this.expiry = expiry;
	}

	synchronized List<Transition> join(SessionInfo session, Instant now) {
		this.nodesLastSeen.put(session.nodeId(), now);
		SessionInfo previous = this.sessionsByNode.computeIfAbsent(session.nodeId(), (n) -> new HashMap<>())
			.put(session.sessionId(), session);
		return change((previous != null) ? List.of(previous) : List.of(), List.of(session));
	}

	synchronized List<Transition> leave(String nodeId, String sessionId) {
		Map<String, SessionInfo> sessions = this.sessionsByNode.get(nodeId);
		SessionInfo removed = (sessions != null) ? sessions.remove(sessionId) : null;
		return (removed != null) ? change(List.of(removed), List.of()) : List.of();
	}

	/** Replaces what is known of one node by its own full account. */
	synchronized List<Transition> snapshot(String nodeId, Collection<SessionInfo> sessions, Instant now) {
		this.nodesLastSeen.put(nodeId, now);
		Map<String, SessionInfo> byId = new HashMap<>();
		sessions.forEach((session) -> byId.put(session.sessionId(), session));
		Map<String, SessionInfo> old = this.sessionsByNode.put(nodeId, byId);
		return change((old != null) ? old.values() : List.of(), byId.values());
	}

	synchronized void heartbeat(String nodeId, Instant now) {
		this.nodesLastSeen.put(nodeId, now);
	}

	/** A node that left on purpose, or was heard of no more. */
	synchronized List<Transition> removeNode(String nodeId) {
		this.nodesLastSeen.remove(nodeId);
		Map<String, SessionInfo> old = this.sessionsByNode.remove(nodeId);
		return (old != null) ? change(old.values(), List.of()) : List.of();
	}

	/** Drops every node not heard from within the expiry, except {@code self}. */
	synchronized List<Transition> expire(Instant now, String self) {
		List<Transition> transitions = new ArrayList<>();
		for (String node : List.copyOf(this.nodesLastSeen.keySet())) {
			if (!node.equals(self) && this.nodesLastSeen.get(node).plus(this.expiry).isBefore(now)) {
				transitions.addAll(removeNode(node));
			}
		}
		return transitions;
	}

	synchronized List<SessionInfo> sessionsOf(String user) {
		Map<String, SessionInfo> sessions = this.sessionsByUser.get(user);
		return (sessions != null) ? List.copyOf(sessions.values()) : List.of();
	}

	/** How many sessions the user has in the cluster, without copying them. */
	synchronized int sessionCount(String user) {
		Map<String, SessionInfo> sessions = this.sessionsByUser.get(user);
		return (sessions != null) ? sessions.size() : 0;
	}

	synchronized int sessionCountOutside(String user, String nodeId) {
		Map<String, SessionInfo> sessions = this.sessionsByUser.get(user);
		if (sessions == null) {
			return 0;
		}
		int count = 0;
		for (SessionInfo session : sessions.values()) {
			if (!nodeId.equals(session.nodeId())) {
				count++;
			}
		}
		return count;
	}

	synchronized @Nullable SessionInfo session(String nodeId, String sessionId) {
		Map<String, SessionInfo> sessions = this.sessionsByNode.get(nodeId);
		return (sessions != null) ? sessions.get(sessionId) : null;
	}

	synchronized List<SessionInfo> sessionsOn(String nodeId) {
		return List.copyOf(this.sessionsByNode.getOrDefault(nodeId, Map.of()).values());
	}

	synchronized Set<String> nodes() {
		return new TreeSet<>(this.nodesLastSeen.keySet());
	}

	synchronized Set<String> onlineUsers() {
		return new HashSet<>(this.sessionsByUser.keySet());
	}

	private void index(SessionInfo session) {
		this.sessionsByUser.computeIfAbsent(session.user(), (u) -> new HashMap<>()).put(key(session), session);
	}

	private void unindex(SessionInfo session) {
		Map<String, SessionInfo> sessions = this.sessionsByUser.get(session.user());
		if (sessions != null) {
			sessions.remove(key(session));
			if (sessions.isEmpty()) {
				this.sessionsByUser.remove(session.user());
			}
		}
	}

	private static String key(SessionInfo session) {
		return session.nodeId() + '\n' + session.sessionId();
	}

	/**
	 * Takes {@code removed} out of the user index and puts {@code added} in; who went
	 * online or offline.
	 */
	private List<Transition> change(Collection<SessionInfo> removed, Collection<SessionInfo> added) {
		Map<String, Integer> before = new HashMap<>();
		removed.forEach((session) -> before.putIfAbsent(session.user(), sessionCount(session.user())));
		added.forEach((session) -> before.putIfAbsent(session.user(), sessionCount(session.user())));
		removed.forEach(this::unindex);
		added.forEach(this::index);
		return transitions(before);
	}

	/**
	 * Users whose count went from some to none (offline) or from none to some (online),
	 * in that order.
	 */
	private List<Transition> transitions(Map<String, Integer> before) {
		List<Transition> transitions = new ArrayList<>();
		before.forEach((user, count) -> {
			if (count > 0 && sessionCount(user) == 0) {
				transitions.add(new Transition(user, false, 0));
			}
		});
		before.forEach((user, count) -> {
			int now = sessionCount(user);
			if (count == 0 && now > 0) {
				transitions.add(new Transition(user, true, now));
			}
		});
		return transitions;
	}

}
