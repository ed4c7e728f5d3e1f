package io.courier.gateway.transport;

import java.io.IOException;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

import io.courier.gateway.session.SessionAttributes;

/**
 * Slow-consumer protection for every WebSocket and SockJS session of the node: gives each
 * session an {@link OutboundBuffer} of {@code courier.limits.send-buffer-size} bytes and
 * closes, with status 1008 and reason {@code slow consumer: …}, a session whose buffer
 * overflows or whose socket has not taken a message for
 * {@code courier.limits.send-time-limit}. Counted in
 * {@code courier.slow-consumer.disconnects} and told to a {@link SlowConsumerListener}
 * (the {@code limits} package records it as a limit hit). Created by the {@code limits}
 * package, which owns the settings.
 */
public class OutboundBuffers implements OutboundBuffer.Listener, DisposableBean {

	private static final Log logger = LogFactory.getLog(OutboundBuffers.class);

	private static final long SWEEP_MILLIS = 250;

	private final Map<String, OutboundBuffer> buffers = new ConcurrentHashMap<>();

	private final long bufferLimitBytes;

	private final long sendTimeLimitMillis;

	private final SlowConsumerListener listener;

	private final Counter slowConsumers;

	private final AtomicLong queuedBytes = new AtomicLong();

	/**
	 * Blocking writes (SockJS) and closes, which may wait for a socket: never on a
	 * caller's thread.
	 */
	private final ExecutorService io;

	private final ScheduledExecutorService sweeper;

	public OutboundBuffers(long bufferLimitBytes, long sendTimeLimitMillis, MeterRegistry meters,
			SlowConsumerListener listener) {
		this.bufferLimitBytes = bufferLimitBytes;
		this.sendTimeLimitMillis = sendTimeLimitMillis;
		this.listener = listener;
		this.slowConsumers = Counter.builder("courier.slow-consumer.disconnects")
			.description("Sessions closed because they did not read what the node sent them")
			.register(meters);
		Gauge.builder("courier.outbound.queued", this.queuedBytes, AtomicLong::get)
			.description("Bytes queued for clients and not yet taken by their sockets")
			.baseUnit("bytes")
			.register(meters);
		this.io = new ThreadPoolExecutor(0, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				daemonThreads("courier-outbound-"));
		// A pool of 16 threads that grows only when the queue is full would never grow:
		// let them all start.
		((ThreadPoolExecutor) this.io).setCorePoolSize(16);
		((ThreadPoolExecutor) this.io).allowCoreThreadTimeOut(true);
		this.sweeper = Executors.newSingleThreadScheduledExecutor(daemonThreads("courier-outbound-sweeper-"));
		this.sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * The WebSocket handler decorator that puts a buffer under every session Spring's
	 * STOMP handler sees.
	 */
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				OutboundWriter writer = OutboundWriter.forSession(session, OutboundBuffers.this.sendTimeLimitMillis,
						OutboundBuffers.this.io);
				OutboundBuffer buffer = new OutboundBuffer(session, writer, OutboundBuffers.this.bufferLimitBytes,
						OutboundBuffers.this);
				OutboundBuffers.this.buffers.put(session.getId(), buffer);
				super.afterConnectionEstablished(buffer);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
				OutboundBuffer buffer = OutboundBuffers.this.buffers.remove(session.getId());
				if (buffer != null) {
					buffer.markClosed();
				}
				super.afterConnectionClosed(session, closeStatus);
			}

		};
	}

	/**
	 * Queues a message for the session as Spring's STOMP handler would, for frames
	 * encoded elsewhere (the relay's topic fan-out), and leaves the write to a release
	 * handed to {@code releases} (once for a run of holds on the session): the caller
	 * runs it when it has queued what it had, and the run goes to the socket together.
	 * Returns {@code false} if the session has no buffer here (not a WebSocket/SockJS
	 * session of this node, or already gone).
	 */
	public boolean hold(String sessionId, WebSocketMessage<?> message, Consumer<Runnable> releases) {
		OutboundBuffer buffer = this.buffers.get(sessionId);
		if (buffer == null) {
			return false;
		}
		if (buffer.hold(message)) {
			releases.accept(buffer::release);
		}
		return true;
	}

	/**
	 * Closes the session once what is queued for it is written (e.g. the RECEIPT of its
	 * DISCONNECT).
	 */
	public void closeWhenWritten(String sessionId, CloseStatus status) {
		OutboundBuffer buffer = this.buffers.get(sessionId);
		if (buffer != null) {
			this.io.execute(() -> {
				try {
					buffer.close(status);
				}
				catch (IOException | RuntimeException ex) {
					// the socket is gone already
				}
			});
		}
	}

	@Override
	public void slowConsumer(OutboundBuffer buffer, String reason) {
		if (!buffer.markClosed()) {
			return;
		}
		logger.info("Closing session " + buffer.getId() + ": slow consumer (" + reason + ")");
		this.slowConsumers.increment();
		Principal user = buffer.getPrincipal();
		this.listener.slowConsumer((user != null) ? user.getName() : null, buffer.getId(),
				SessionAttributes.get(buffer.getAttributes(), SessionAttributes.REMOTE_ADDRESS),
				"slow consumer: " + reason);
		CloseStatus status = CloseStatus.POLICY_VIOLATION.withReason("slow consumer: " + reason);
		this.io.execute(() -> buffer.closeQuietly(status));
	}

	@Override
	public void writeFailed(OutboundBuffer buffer, Throwable failure) {
		if (buffer.markClosed()) {
			logger.debug("Closing session " + buffer.getId() + " after a failed write", failure);
			this.io.execute(() -> buffer.closeQuietly(CloseStatus.SESSION_NOT_RELIABLE));
		}
	}

	private void sweep() {
		long now = System.nanoTime();
		long limitNanos = TimeUnit.MILLISECONDS.toNanos(this.sendTimeLimitMillis);
		long queued = 0;
		for (OutboundBuffer buffer : this.buffers.values()) {
			queued += buffer.queuedBytes();
			if (buffer.isOpenForWrites() && buffer.writeWaitNanos(now) > limitNanos) {
				slowConsumer(buffer, "send time limit of " + this.sendTimeLimitMillis + " ms exceeded");
			}
		}
		this.queuedBytes.set(queued);
	}

	@Override
	public void destroy() {
		this.sweeper.shutdownNow();
		this.io.shutdown();
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

}
