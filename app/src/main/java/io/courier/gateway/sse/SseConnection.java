package io.courier.gateway.sse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.scheduling.TaskScheduler;

import io.courier.gateway.history.HistoryEvent;
import io.courier.gateway.history.HistorySubscriber;

/**
 * One {@code text/event-stream} response, written with non-blocking servlet I/O: events
 * wait in a queue of at most {@code courier.sse.client-buffer} events and are written
 * only while the container says the socket can take more
 * ({@link ServletOutputStream#isReady()}), on a small writer pool. No thread ever waits
 * for a slow client: a client whose queue is full gets a final {@code close} event saying
 * why (its pending events are dropped; it resumes from the last id it received) and the
 * response ends, at the latest after {@link #CLOSE_GRACE}.
 */
final class SseConnection extends HistorySubscriber implements WriteListener, AsyncListener {

	private static final Log logger = LogFactory.getLog(SseConnection.class);

	static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

	/**
	 * The event name of a destination's latest event, sent first when the client asked
	 * with {@code last=1}.
	 */
	static final String RETAINED = "retained";

	private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private record Chunk(byte[] bytes, boolean event) {
	}

	private final AsyncContext async;

	private final ServletOutputStream out;

	private final Executor writers;

	private final TaskScheduler scheduler;

	private final ObjectMapper mapper;

	private final Map<String, Object> openData;

	private final Runnable onEnd;

	private final ArrayDeque<Chunk> queue = new ArrayDeque<>();

	private int queuedEvents;

	private boolean flushNeeded;

	private boolean drainScheduled;

	private boolean listening;

	private boolean finishing;

	private boolean ended;

	SseConnection(String sessionId, String user, Set<String> keys, int limit, AsyncContext async,
			ServletOutputStream out, Executor writers, TaskScheduler scheduler, ObjectMapper mapper,
			Map<String, Object> openData, Duration retry, Runnable onEnd) {
		super(Transport.SSE, sessionId, user, keys, limit);
		this.async = async;
		this.out = out;
		this.writers = writers;
		this.scheduler = scheduler;
		this.mapper = mapper;
		this.openData = openData;
		this.onEnd = onEnd;
		enqueue(("retry: " + retry.toMillis() + "\n\n").getBytes(StandardCharsets.US_ASCII), false);
	}

	/**
	 * Starts writing; before this the container must not be asked whether it can write.
	 */
	synchronized void listen() {
		this.listening = true;
		this.out.setWriteListener(this);
	}

	@Override
	protected void started(long cursor, boolean resumed) {
		if (!resumed) {
			enqueue(format(cursor, "subscribed", json(this.openData)), false);
		}
	}

	@Override
	protected void deliver(HistoryEvent event) {
		enqueue(format(event.id(), event.destination(), event.data()), true);
	}

	/**
	 * {@code event: retained}, {@code data: {"destination": ..., "data": ...}}: the
	 * latest event before the stream.
	 */
	@Override
	protected void deliverRetained(HistoryEvent event) {
		enqueue(format(event.id(), RETAINED, json(Map.of("destination", event.destination(), "data", event.data()))),
				true);
	}

	@Override
	protected void deliverReset(long cursor, String reason) {
		enqueue(format(cursor, "reset", json(Map.of("reason", reason))), false);
	}

	@Override
	protected void caughtUp() {
	}

	@Override
	protected void behind(String reason) {
		finish("slow consumer: " + reason + "; reconnect with Last-Event-ID", true);
	}

	@Override
	protected void failed(String reason) {
		finish(reason, false);
	}

	/**
	 * A comment line that keeps proxies from timing out an idle stream; skipped while
	 * events are waiting.
	 */
	synchronized void keepAlive() {
		if (this.queue.isEmpty() && !this.finishing) {
			enqueue(KEEP_ALIVE, false);
		}
	}

	/**
	 * Ends the stream with a final {@code close} event: {@code data: {"reason": ...}}.
	 * {@code dropPending}: the events still waiting are not sent (the client resumes from
	 * the last one it received).
	 */
	synchronized void finish(String reason, boolean dropPending) {
		if (this.finishing || this.ended) {
			return;
		}
		if (dropPending) {
			this.queue.removeIf(Chunk::event);
			this.queuedEvents = 0;
		}
		enqueueLast(format(null, "close", json(Map.of("reason", reason))));
		this.finishing = true;
		close();
		this.writers.execute(this.onEnd);
		this.scheduler.schedule(this::forceEnd, Instant.now().plus(CLOSE_GRACE));
	}

	private void enqueueLast(byte[] bytes) {
		this.queue.add(new Chunk(bytes, false));
		scheduleDrain();
	}

	private synchronized void enqueue(byte[] bytes, boolean event) {
		if (this.finishing || this.ended) {
			return;
		}
		if (event && this.queuedEvents >= limit()) {
			behind(limit() + " events waiting to be written");
			return;
		}
		this.queue.add(new Chunk(bytes, event));
		if (event) {
			this.queuedEvents++;
		}
		scheduleDrain();
	}

	private void scheduleDrain() {
		if (this.listening && !this.drainScheduled) {
			this.drainScheduled = true;
			this.writers.execute(this::drain);
		}
	}

	private synchronized void drain() {
		this.drainScheduled = false;
		if (this.ended) {
			return;
		}
		try {
			while (this.out.isReady()) {
				Chunk next = this.queue.poll();
				if (next == null) {
					if (this.flushNeeded) {
						this.flushNeeded = false;
						this.out.flush();
						continue;
					}
					if (this.finishing) {
						end(true);
					}
					return;
				}
				if (next.event()) {
					this.queuedEvents--;
				}
				this.out.write(next.bytes());
				this.flushNeeded = true;
			}
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("SSE session " + sessionId() + " write failed: " + ex.getMessage());
			end(true);
		}
	}

	private synchronized void forceEnd() {
		end(true);
	}

	private synchronized void end(boolean complete) {
		if (this.ended) {
			return;
		}
		this.ended = true;
		this.queue.clear();
		close();
		if (!this.finishing) {
			this.writers.execute(this.onEnd);
		}
		if (complete) {
			try {
				this.async.complete();
			}
			catch (IllegalStateException ex) {
				logger.debug("SSE session " + sessionId() + " already completed: " + ex.getMessage());
			}
		}
	}

	@Override
	public void onWritePossible() {
		drain();
	}

	@Override
	public void onError(Throwable ex) {
		logger.debug("SSE session " + sessionId() + " failed: " + ex.getMessage());
		end(true);
	}

	@Override
	public void onComplete(AsyncEvent event) {
		end(false);
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		end(true);
	}

	@Override
	public void onError(AsyncEvent event) {
		end(true);
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	private String json(Map<String, ?> data) {
		return this.mapper.writeValueAsString(data);
	}

	/**
	 * One event in {@code text/event-stream} format; multi-line data becomes several
	 * {@code data:} lines.
	 */
	static byte[] format(@Nullable Long id, String name, String data) {
		StringBuilder event = new StringBuilder(data.length() + 64);
		if (id != null) {
			event.append("id: ").append(id).append('\n');
		}
		event.append("event: ").append(name).append('\n');
		for (String line : List.of(data.split("\r\n|\r|\n", -1))) {
			event.append("data: ").append(line).append('\n');
		}
		return event.append('\n').toString().getBytes(StandardCharsets.UTF_8);
	}

}
