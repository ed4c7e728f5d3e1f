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

/**
 * The cluster-wide presence view one node builds from what the nodes announce: sessions per node and per user,
 * and when each node was last heard from. Every change returns the users whose online state flipped, so the
 * caller can tell subscribers. A node silent for longer than the expiry is dropped with all its sessions (a
 * killed node announces nothing). Plain object, synchronized: announcements arrive on one listener thread and
 * queries on request threads.
 */
class PresenceRegistry {

	/** A user's online state after a change. */
	record Transition(String user, boolean online, int sessions) {
	}

	private final Duration expiry;

	private final Map<String, Instant> nodesLastSeen = new HashMap<>();

	private final Map<String, Map<String, SessionInfo>> sessionsByNode = new HashMap<>();

	PresenceRegistry(Duration expiry) {
		this.expiry = expiry;
	}

	synchronized List<Transition> join(SessionInfo session, Instant now) {
		Set<String> before = onlineUsers();
		this.nodesLastSeen.put(session.nodeId(), now);
		this.sessionsByNode.computeIfAbsent(session.nodeId(), (n) -> new HashMap<>()).put(session.sessionId(), session);
		return transitions(before);
	}

	synchronized List<Transition> leave(String nodeId, String sessionId) {
		Set<String> before = onlineUsers();
		Map<String, SessionInfo> sessions = this.sessionsByNode.get(nodeId);
		if (sessions != null) {
			sessions.remove(sessionId);
		}
		return transitions(before);
	}

	/** Replaces what is known of one node by its own full account. */
	synchronized List<Transition> snapshot(String nodeId, Collection<SessionInfo> sessions, Instant now) {
		Set<String> before = onlineUsers();
		this.nodesLastSeen.put(nodeId, now);
		Map<String, SessionInfo> byId = new HashMap<>();
		sessions.forEach((session) -> byId.put(session.sessionId(), session));
		this.sessionsByNode.put(nodeId, byId);
		return transitions(before);
	}

	synchronized void heartbeat(String nodeId, Instant now) {
		this.nodesLastSeen.put(nodeId, now);
	}

	/** A node that left on purpose, or was heard of no more. */
	synchronized List<Transition> removeNode(String nodeId) {
		Set<String> before = onlineUsers();
		this.nodesLastSeen.remove(nodeId);
		this.sessionsByNode.remove(nodeId);
		return transitions(before);
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
		return this.sessionsByNode.values()
			.stream()
			.flatMap((sessions) -> sessions.values().stream())
			.filter((session) -> session.user().equals(user))
			.toList();
	}

	synchronized List<SessionInfo> sessionsOn(String nodeId) {
		return List.copyOf(this.sessionsByNode.getOrDefault(nodeId, Map.of()).values());
	}

	synchronized Set<String> nodes() {
		return new TreeSet<>(this.nodesLastSeen.keySet());
	}

	synchronized Set<String> onlineUsers() {
		Set<String> users = new HashSet<>();
		this.sessionsByNode.values().forEach((sessions) -> sessions.values().forEach((s) -> users.add(s.user())));
		return users;
	}

	private List<Transition> transitions(Set<String> before) {
		Set<String> after = onlineUsers();
		List<Transition> transitions = new ArrayList<>();
		for (String user : before) {
			if (!after.contains(user)) {
				transitions.add(new Transition(user, false, 0));
			}
		}
		for (String user : after) {
			if (!before.contains(user)) {
				transitions.add(new Transition(user, true, sessionsOf(user).size()));
			}
		}
		return transitions;
	}

}
