package io.courier.gateway.sse;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

import io.courier.gateway.history.HistoryHub;
import io.courier.gateway.history.HistoryProperties;
import io.courier.gateway.limits.SessionsPerUserLimiter;
import io.courier.gateway.security.DestinationAuthorizer;
import io.courier.gateway.session.ClientRejection;

/**
 * What SSE and polling check before they serve a request, the same way STOMP does:
 * destinations through the destination rules (as SUBSCRIBE), the cursor, the
 * sessions-per-user limit, and that this node knows where the history stream ends.
 */
@Component
class ClientAdmission {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

	private final DestinationAuthorizer authorizer;

	private final SessionsPerUserLimiter sessionsPerUser;

	private final HistoryHub hub;

	private final HistoryProperties properties;

	ClientAdmission(DestinationAuthorizer authorizer, SessionsPerUserLimiter sessionsPerUser, HistoryHub hub,
			HistoryProperties properties) {
		this.authorizer = authorizer;
		this.sessionsPerUser = sessionsPerUser;
		this.hub = hub;
		this.properties = properties;
	}

	ClientDestinations destinations(String @Nullable [] requested, JwtAuthenticationToken user) {
		try {
			return ClientDestinations.of(requested, user, this.authorizer, this.properties.topics());
		}
		catch (ClientRejection ex) {
			throw ClientRequestException.of(ex);
		}
	}

	/**
	 * A slot for a new session of {@code user} (an SSE stream, a poll client not online
	 * yet) within the limit; {@link #releaseSession} gives it back when the session ends.
	 */
	void reserveSession(String user, String sessionId) {
		try {
			this.sessionsPerUser.reserve(user, sessionId);
		}
		catch (ClientRejection ex) {
			throw ClientRequestException.of(ex);
		}
	}

	void releaseSession(String sessionId) {
		this.sessionsPerUser.release(sessionId);
	}

	/**
	 * Only the node's first second: its consumer has not yet learnt where the stream
	 * ends.
	 */
	void awaitHistory() {
		try {
			if (!this.hub.awaitReady(READY_TIMEOUT)) {
				throw new ClientRequestException(HttpStatus.SERVICE_UNAVAILABLE, "history not ready; retry");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ClientRequestException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
		}
	}

	/**
	 * A yes/no parameter such as {@code last}: {@code 1} or {@code true}; absent is no.
	 */
	static boolean flag(@Nullable String value, String name) {
		if (value == null || value.isBlank() || "0".equals(value) || "false".equals(value)) {
			return false;
		}
		if ("1".equals(value) || "true".equals(value)) {
			return true;
		}
		throw ClientRequestException.badRequest(name + " must be 1 or 0, not " + value);
	}

	/** An event id: {@code Last-Event-ID} or {@code since}; null when absent. */
	static @Nullable Long cursor(@Nullable String value, String name) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			long id = Long.parseLong(value.trim());
			if (id >= -1) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw ClientRequestException.badRequest(name + " must be an event id (an integer >= -1), not " + value);
	}

}
