package io.courier.gateway.limits;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * This node's sessions per user, counted from the moment each was admitted (CONNECT, an
 * SSE stream, a poll client going online) to the moment it ended, under one lock: two
 * concurrent admissions of the same user cannot both take the last slot. Presence learns
 * of a session only after it is connected, which is why it cannot be what a burst is
 * checked against.
 */
final class SessionSlots {

	private final Map<String, Set<String>> sessionsByUser = new HashMap<>();

	private final Map<String, String> userBySession = new HashMap<>();

	/**
	 * Takes a slot for the session if the user's sessions here plus {@code elsewhere}
	 * stay within {@code limit}; a session that holds one already keeps it.
	 */
	synchronized boolean reserve(String user, String sessionId, int limit, int elsewhere) {
		Set<String> sessions = this.sessionsByUser.computeIfAbsent(user, (key) -> new HashSet<>());
		if (sessions.contains(sessionId)) {
			return true;
		}
		if (sessions.size() + elsewhere >= limit) {
			if (sessions.isEmpty()) {
				this.sessionsByUser.remove(user);
			}
			return false;
		}
		sessions.add(sessionId);
		this.userBySession.put(sessionId, user);
		return true;
	}

	synchronized void release(String sessionId) {
		String user = this.userBySession.remove(sessionId);
		if (user == null) {
			return;
		}
		Set<String> sessions = this.sessionsByUser.get(user);
		if (sessions != null && sessions.remove(sessionId) && sessions.isEmpty()) {
			this.sessionsByUser.remove(user);
		}
	}

	synchronized int count(String user) {
		Set<String> sessions = this.sessionsByUser.get(user);
		return (sessions != null) ? sessions.size() : 0;
	}

}
