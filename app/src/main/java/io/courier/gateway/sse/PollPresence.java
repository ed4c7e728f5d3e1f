package io.courier.gateway.sse;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.courier.gateway.presence.Presence;

/**
 * Presence of long-polling clients. A poll client has no connection between two polls, so
 * it is one presence session per user, remote address, User-Agent and set of
 * destinations: online from its first poll while a poll is held, and for
 * {@code courier.sse.poll-presence-grace} after the last one ended. A new poll within the
 * grace keeps it online without announcing anything.
 */
@Component
class PollPresence {

	static final String TRANSPORT = "poll";

	private static final class Client {

		int held;

		@Nullable ScheduledFuture<?> leave;

	}

	private final Presence presence;

	private final SseThreads threads;

	private final SseProperties properties;

	private final ClientAdmission admission;

	private final Map<String, Client> clients = new HashMap<>();

	PollPresence(Presence presence, SseThreads threads, SseProperties properties, ClientAdmission admission) {
		this.presence = presence;
		this.threads = threads;
		this.properties = properties;
		this.admission = admission;
	}

	static String sessionId(String user, String remoteAddress, String userAgent, ClientDestinations destinations) {
		int hash = (user + "\n" + remoteAddress + "\n" + userAgent + "\n" + destinations.destinations()).hashCode();
		return TRANSPORT + "-" + user + "-" + Integer.toHexString(hash);
	}

	/**
	 * A poll is held; a client not online yet must be within the sessions-per-user limit.
	 */
	void pollStarted(String sessionId, String user, String remoteAddress, String userAgent) {
		synchronized (this.clients) {
			Client client = this.clients.get(sessionId);
			if (client == null) {
				this.admission.reserveSession(user, sessionId);
				client = new Client();
				this.clients.put(sessionId, client);
				this.presence.join(sessionId, user, remoteAddress, userAgent, TRANSPORT);
			}
			client.held++;
			ScheduledFuture<?> leave = client.leave;
			if (leave != null) {
				leave.cancel(false);
				client.leave = null;
			}
		}
	}

	void pollEnded(String sessionId) {
		synchronized (this.clients) {
			Client client = this.clients.get(sessionId);
			if (client == null || --client.held > 0) {
				return;
			}
			client.leave = this.threads.scheduler()
				.schedule(() -> leave(sessionId, client), Instant.now().plus(this.properties.pollPresenceGrace()));
		}
	}

	private void leave(String sessionId, Client client) {
		synchronized (this.clients) {
			if (client.held > 0 || this.clients.get(sessionId) != client) {
				return;
			}
			this.clients.remove(sessionId);
		}
		this.presence.leave(sessionId);
		this.admission.releaseSession(sessionId);
	}

}
