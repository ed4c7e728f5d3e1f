package io.courier.gateway.sse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.ObjectMapper;

import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

import io.courier.gateway.history.HistoryEvent;
import io.courier.gateway.history.HistorySubscriber;

/**
 * One held {@code GET /poll}: answers as soon as it has events (the missed ones after
 * {@code since}, else the first live one), or 204 when the wait is over. At most
 * {@code courier.sse.client-buffer} events per answer; the cursor says where the next
 * poll continues.
 */
final class PollRequest extends HistorySubscriber {

	private final DeferredResult<ResponseEntity<Object>> result;

	private final boolean waits;

	private final ObjectMapper mapper;

	private final Runnable onEnd;

	private final List<Map<String, String>> events = new ArrayList<>();

	private boolean live;

	private boolean answered;

	PollRequest(String sessionId, String user, Set<String> keys, int limit, boolean waits,
			DeferredResult<ResponseEntity<Object>> result, ObjectMapper mapper, Runnable onEnd) {
		super(Transport.POLL, sessionId, user, keys, limit);
		this.waits = waits;
		this.result = result;
		this.mapper = mapper;
		this.onEnd = onEnd;
	}

	@Override
	protected void started(long cursor, boolean resumed) {
	}

	@Override
	protected void deliver(HistoryEvent event) {
		add(event.id(), event.destination(), event.data());
		if (this.live || this.events.size() >= limit()) {
			answer();
		}
	}

	/**
	 * Marked {@code "retained": "true"}: the latest event before the poll, asked for with
	 * {@code last=1}.
	 */
	@Override
	protected void deliverRetained(HistoryEvent event) {
		add(event.id(), event.destination(), event.data());
		this.events.get(this.events.size() - 1).put("retained", "true");
	}

	@Override
	protected void deliverReset(long cursor, String reason) {
		add(cursor, "reset", this.mapper.writeValueAsString(Map.of("reason", reason)));
	}

	@Override
	protected void caughtUp() {
		this.live = true;
		if (!this.events.isEmpty() || !this.waits) {
			answer();
		}
	}

	@Override
	protected void behind(String reason) {
		answer();
	}

	@Override
	protected void failed(String reason) {
		if (this.events.isEmpty()) {
			close();
			this.answered = true;
			this.result.setResult(ResponseEntity.status(503).body(Map.of("error", reason)));
			this.onEnd.run();
			return;
		}
		answer();
	}

	/** The wait is over (or the client went away). */
	synchronized void timeout() {
		answer();
	}

	private void add(long id, String name, String data) {
		Map<String, String> event = new LinkedHashMap<>();
		event.put("id", Long.toString(id));
		event.put("event", name);
		event.put("data", data);
		this.events.add(event);
	}

	private void answer() {
		if (this.answered) {
			return;
		}
		this.answered = true;
		String cursor = Long.toString(lastId());
		close();
		if (this.events.isEmpty()) {
			this.result.setResult(ResponseEntity.noContent().header(PollController.CURSOR_HEADER, cursor).build());
		}
		else {
			this.result.setResult(ResponseEntity.ok()
				.header(PollController.CURSOR_HEADER, cursor)
				.body(Map.of("events", List.copyOf(this.events), "cursor", cursor)));
		}
		this.onEnd.run();
	}

}
