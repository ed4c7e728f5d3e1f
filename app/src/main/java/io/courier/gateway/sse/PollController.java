package io.courier.gateway.sse;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import io.courier.gateway.history.HistoryHub;
import io.courier.gateway.history.HistoryProperties;
import io.courier.gateway.session.SessionAttributes;

/**
 * {@code GET /poll?dest=...&since=<id>&wait=<seconds>}: long polling on the same
 * destinations, rules and ids as SSE. The request is held with a {@link DeferredResult}
 * (servlet async: no thread waits) until there are events or the wait is over: 200
 * {@code {"events": [...], "cursor": "<id>"}}, or 204; both carry the cursor in
 * {@value #CURSOR_HEADER}. {@code wait=0} answers at once (short polling).
 */
@RestController
class PollController {

	static final String PATH = "/poll";

	static final String CURSOR_HEADER = "Courier-Cursor";

	private final ClientAdmission admission;

	private final HistoryHub hub;

	private final PollPresence presence;

	private final SseProperties properties;

	private final ObjectMapper mapper;

	private final int clientBuffer;

	PollController(ClientAdmission admission, HistoryHub hub, PollPresence presence, SseProperties properties,
			HistoryProperties history, ObjectMapper mapper) {
		this.clientBuffer = history.clientBuffer();
		this.admission = admission;
		this.hub = hub;
		this.presence = presence;
		this.properties = properties;
		this.mapper = mapper;
	}

	@GetMapping(PATH)
	DeferredResult<ResponseEntity<Object>> poll(@RequestParam(name = "dest", required = false) String @Nullable [] dest,
			@RequestParam(required = false) @Nullable String since,
			@RequestParam(required = false) @Nullable String wait,
			@RequestParam(required = false) @Nullable String last, JwtAuthenticationToken user,
			HttpServletRequest request) {
		ClientDestinations destinations = this.admission.destinations(dest, user);
		Long cursor = ClientAdmission.cursor(since, "since");
		boolean latest = cursor == null && ClientAdmission.flag(last, "last");
		Duration holdFor = holdFor(wait);
		this.admission.awaitHistory();
		String remoteAddress = SessionAttributes.remoteAddress(request);
		String userAgent = Objects.requireNonNullElse(request.getHeader(HttpHeaders.USER_AGENT), "");
		String sessionId = PollPresence.sessionId(user.getName(), remoteAddress, userAgent, destinations);
		this.presence.pollStarted(sessionId, user.getName(), remoteAddress, userAgent);

		boolean waits = !holdFor.isZero();
		// a wait of 0 still needs a bound in case reading missed events takes long
		DeferredResult<ResponseEntity<Object>> result = new DeferredResult<>(
				waits ? holdFor.toMillis() : Duration.ofSeconds(15).toMillis());
		PollRequest[] self = new PollRequest[1];
		PollRequest poll = new PollRequest(sessionId, user.getName(), destinations.keys(), this.clientBuffer, waits,
				result, this.mapper, () -> {
					this.hub.unsubscribe(self[0]);
					this.presence.pollEnded(sessionId);
				});
		self[0] = poll;
		result.onTimeout(poll::timeout);
		result.onError((ex) -> poll.timeout());
		if (latest) {
			this.hub.subscribeLatest(poll, (position) -> {
			});
		}
		else {
			this.hub.subscribe(poll, cursor);
		}
		return result;
	}

	private Duration holdFor(@Nullable String wait) {
		if (wait == null || wait.isBlank()) {
			return this.properties.pollDefaultWait();
		}
		try {
			long seconds = Long.parseLong(wait.trim());
			Duration max = this.properties.pollMaxWait();
			if (seconds >= 0 && seconds <= max.toSeconds()) {
				return Duration.ofSeconds(seconds);
			}
			throw ClientRequestException.badRequest("wait must be between 0 and " + max.toSeconds() + " seconds");
		}
		catch (NumberFormatException ex) {
			throw ClientRequestException.badRequest("wait must be a number of seconds, not " + wait);
		}
	}

	@ExceptionHandler(ClientRequestException.class)
	ResponseEntity<Map<String, String>> refused(ClientRequestException ex) {
		return ResponseEntity.status(ex.status()).body(Map.of("error", String.valueOf(ex.getMessage())));
	}

}
