package io.courier.gateway.sse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import io.courier.gateway.history.HistoryHub;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.presence.Presence;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.SessionAttributes;

/**
 * {@code GET /sse?dest=...}: one {@code text/event-stream} per client, after the same
 * checks as a STOMP SUBSCRIBE. A plain servlet rather than Spring MVC's
 * {@code SseEmitter}, whose writes block the sending thread while a client does not read:
 * here the response is written with non-blocking I/O by {@link SseConnection}. Spring
 * Security's filter chain authenticates the request before it gets here (bearer header,
 * or the {@code access_token} query parameter, on this path only).
 */
class SseServlet extends HttpServlet {

	static final String PATH = "/sse";

	static final String TRANSPORT = "sse";

	private final ClientAdmission admission;

	private final HistoryHub hub;

	private final SseThreads threads;

	private final Presence presence;

	private final ObjectMapper mapper;

	private final SseProperties properties;

	private final int clientBuffer;

	private final String nodeId;

	SseServlet(ClientAdmission admission, HistoryHub hub, SseThreads threads, Presence presence, ObjectMapper mapper,
			SseProperties properties, int clientBuffer, GatewayProperties gateway) {
		this.clientBuffer = clientBuffer;
		this.admission = admission;
		this.hub = hub;
		this.threads = threads;
		this.presence = presence;
		this.mapper = mapper;
		this.properties = properties;
		this.nodeId = gateway.nodeId();
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!(authentication instanceof JwtAuthenticationToken user)) {
			error(response, HttpStatus.UNAUTHORIZED, ClientError.MISSING_TOKEN.text());
			return;
		}
		ClientDestinations destinations;
		Long since;
		String sessionId = TRANSPORT + "-" + UUID.randomUUID();
		try {
			destinations = this.admission.destinations(request.getParameterValues("dest"), user);
			since = ClientAdmission.cursor(request.getHeader("Last-Event-ID"), "Last-Event-ID");
			this.admission.reserveSession(user.getName(), sessionId);
			this.admission.awaitHistory();
		}
		catch (ClientRequestException ex) {
			this.admission.releaseSession(sessionId);
			error(response, ex.status(), String.valueOf(ex.getMessage()));
			return;
		}
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/event-stream;charset=UTF-8");
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		response.flushBuffer();

		AsyncContext async = request.startAsync();
		async.setTimeout(0);
		AtomicReference<@Nullable ScheduledFuture<?>> expiry = new AtomicReference<>();
		AtomicReference<@Nullable SseConnection> self = new AtomicReference<>();
		Runnable onEnd = () -> {
			SseConnection connection = self.get();
			if (connection != null) {
				this.hub.unsubscribe(connection);
			}
			ScheduledFuture<?> task = expiry.get();
			if (task != null) {
				task.cancel(false);
			}
			this.presence.leave(sessionId);
			this.admission.releaseSession(sessionId);
		};
		Map<String, Object> open = Map.of("destinations", destinations.destinations(), "node", this.nodeId);
		SseConnection connection = new SseConnection(sessionId, user.getName(), destinations.keys(), this.clientBuffer,
				async, response.getOutputStream(), this.threads.writers(), this.threads.scheduler(), this.mapper, open,
				this.properties.retry(), onEnd);
		self.set(connection);
		async.addListener(connection);
		this.presence.join(sessionId, user.getName(), SessionAttributes.remoteAddress(request),
				Objects.requireNonNullElse(request.getHeader(HttpHeaders.USER_AGENT), ""), TRANSPORT);
		Instant expiresAt = user.getToken().getExpiresAt();
		if (expiresAt != null) {
			expiry.set(this.threads.scheduler()
				.schedule(() -> connection.finish(ClientError.SESSION_EXPIRED.text(), false), expiresAt));
		}
		if (since == null && ClientAdmission.flag(request.getParameter("last"), "last")) {
			this.hub.subscribeLatest(connection, (position) -> {
			});
		}
		else {
			this.hub.subscribe(connection, since);
		}
		connection.listen();
	}

	private void error(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		response.setStatus(status.value());
		response.setContentType("application/json");
		response.getOutputStream()
			.write(this.mapper.writeValueAsString(Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
	}

}
