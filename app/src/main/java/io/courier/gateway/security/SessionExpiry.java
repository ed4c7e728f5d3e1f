package io.courier.gateway.security;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.SessionTerminator;

/**
 * Closes a session when the token it connected with expires: the client gets an ERROR
 * {@code token expired while connected} and the socket closes (no peer enforces this,
 * stomp-js/stompjs #560). One scheduled task per session, cancelled when the session ends
 * first.
 */
@Component
class SessionExpiry {

	private final TaskScheduler scheduler;

	private final SessionTerminator terminator;

	private final Map<String, ScheduledFuture<?>> tasks = new ConcurrentHashMap<>();

	SessionExpiry(@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler,
			SessionTerminator terminator) {
		this.scheduler = scheduler;
		this.terminator = terminator;
	}

	/**
	 * Schedules the close. Inside {@code compute}, so that a task due at once (a token
	 * already past {@code exp} but within the validator's clock skew) cannot run before
	 * it is registered and then find nothing to do.
	 */
	void closeAt(String sessionId, Instant expiresAt) {
		this.tasks.compute(sessionId, (id, previous) -> {
			if (previous != null) {
				previous.cancel(false);
			}
			return this.scheduler.schedule(() -> expire(id), expiresAt);
		});
	}

	/** Sessions with a pending close, for tests and metrics. */
	int scheduled() {
		return this.tasks.size();
	}

	private void expire(String sessionId) {
		if (this.tasks.remove(sessionId) == null) {
			return;
		}
		this.terminator.terminate(sessionId, new ClientRejection(ClientError.SESSION_EXPIRED), null);
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		ScheduledFuture<?> task = this.tasks.remove(event.getSessionId());
		if (task != null) {
			task.cancel(false);
		}
	}

}
