package io.courier.gateway.transport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * A session's bounded outbound queue: {@link #sendMessage} never blocks the caller (a
 * broker connection's event loop, a thread of the outbound channel), it queues the
 * message and a {@link OutboundWriter} writes one message at a time to the socket without
 * parking a thread where the container allows it, telling it when more are queued behind
 * so that a run of messages can leave in one socket write ({@link #hold} queues a run
 * first). A client that does not read fills its own queue only: once the queued bytes
 * pass the send buffer limit, or a write has waited longer than the send time limit
 * ({@link OutboundBuffers} checks that), the session is closed as a slow consumer and
 * nothing more is queued for it. Other sessions never wait for it.
 */
final class OutboundBuffer extends WebSocketSessionDecorator {

	private final OutboundWriter writer;

	private final long bufferLimitBytes;

	private final Listener listener;

	private final ArrayDeque<WebSocketMessage<?>> queue = new ArrayDeque<>();

	private long queuedBytes;

	private boolean writing;

	/** Messages were queued by {@link #hold} and wait for {@link #release}. */
	private boolean held;

	private boolean inDrainLoop;

	private boolean completedInline;

	private long writeStartedNanos;

	private volatile boolean closed;

	private @Nullable CloseStatus closeAfterDrain;

	OutboundBuffer(WebSocketSession delegate, OutboundWriter writer, long bufferLimitBytes, Listener listener) {
		super(delegate);
		this.writer = writer;
		this.bufferLimitBytes = bufferLimitBytes;
		this.listener = listener;
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		if (enqueue(message, false)) {
			drain();
		}
	}

	/**
	 * Queues the message like {@link #sendMessage} but leaves the write to
	 * {@link #release}, so that messages queued together (the fan-out of one read from
	 * the broker) go to the socket together. Returns {@code true} when the caller must
	 * call {@link #release}: the first hold since the buffer was last released, unless a
	 * write is going on (which writes the message next).
	 */
	boolean hold(WebSocketMessage<?> message) {
		return enqueue(message, true);
	}

	/**
	 * Queues the message unless the buffer is closed or full (a slow consumer, reported).
	 * Returns {@code true} when the caller must start the writes: {@link #drain} after a
	 * send, {@link #release} after a hold.
	 */
	private boolean enqueue(WebSocketMessage<?> message, boolean hold) {
		boolean start = false;
		boolean overflow = false;
		synchronized (this) {
			if (this.closed) {
				return false;
			}
			int size = message.getPayloadLength();
			if (this.queuedBytes + size > this.bufferLimitBytes && !this.queue.isEmpty()) {
				overflow = true;
			}
			else {
				this.queue.add(message);
				this.queuedBytes += size;
				if (hold) {
					start = !this.writing && !this.held;
					this.held |= start;
				}
				else if (!this.writing) {
					this.writing = true;
					start = true;
				}
			}
		}
		if (overflow) {
			slowConsumer("send buffer limit of " + this.bufferLimitBytes + " bytes exceeded");
		}
		return start;
	}

	/**
	 * Writes what {@link #hold} queued, unless a write is going on (which writes it
	 * next).
	 */
	void release() {
		synchronized (this) {
			this.held = false;
			if (this.writing || this.closed || this.queue.isEmpty()) {
				return;
			}
			this.writing = true;
		}
		drain();
	}

	/**
	 * Closes the socket once what is queued is written: Spring's STOMP handler closes
	 * right after queueing an ERROR frame, which the client must still receive. A client
	 * that never reads hits the send time limit.
	 */
	@Override
	public void close(CloseStatus status) throws IOException {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			if (this.writing) {
				this.closeAfterDrain = status;
				return;
			}
			this.closed = true;
		}
		getDelegate().close(status);
	}

	@Override
	public void close() throws IOException {
		close(CloseStatus.NORMAL);
	}

	/** Bytes queued and not yet written, the message being written included. */
	synchronized long queuedBytes() {
		return this.queuedBytes;
	}

	/**
	 * How long the message being written has been waiting for the socket, in nanoseconds;
	 * 0 when idle.
	 */
	synchronized long writeWaitNanos(long now) {
		return (this.writing && this.writeStartedNanos != 0) ? now - this.writeStartedNanos : 0;
	}

	boolean isOpenForWrites() {
		return !this.closed;
	}

	/**
	 * Stops queueing and drops what is queued; the caller closes the socket. Returns
	 * false if already done.
	 */
	boolean markClosed() {
		synchronized (this) {
			if (this.closed) {
				return false;
			}
			this.closed = true;
			this.queue.clear();
			this.queuedBytes = 0;
			return true;
		}
	}

	void closeQuietly(CloseStatus status) {
		try {
			getDelegate().close(status);
		}
		catch (IOException | RuntimeException ex) {
			// the socket is gone already
		}
	}

	/**
	 * A container's send timeout (the backstop behind the send time limit): Tomcat fails
	 * the write with {@link SocketTimeoutException}, other containers with exceptions of
	 * their own named so.
	 */
	private static boolean isTimeout(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t instanceof SocketTimeoutException || t instanceof TimeoutException
					|| t.getClass().getSimpleName().contains("Timeout")) {
				return true;
			}
		}
		return false;
	}

	void slowConsumer(String reason) {
		this.listener.slowConsumer(this, reason);
	}

	private void drain() {
		for (;;) {
			WebSocketMessage<?> next;
			boolean more = false;
			CloseStatus closeNow = null;
			synchronized (this) {
				next = this.closed ? null : this.queue.peek();
				if (next == null) {
					this.writing = false;
					this.writeStartedNanos = 0;
					if (!this.closed && this.closeAfterDrain != null) {
						closeNow = this.closeAfterDrain;
						this.closed = true;
					}
				}
				else {
					more = this.queue.size() > 1;
					this.inDrainLoop = true;
					this.completedInline = false;
					this.writeStartedNanos = System.nanoTime();
				}
			}
			if (next == null) {
				if (closeNow != null) {
					closeQuietly(closeNow);
				}
				return;
			}
			this.writer.write(getDelegate(), next, more, this::written);
			synchronized (this) {
				this.inDrainLoop = false;
				if (!this.completedInline) {
					return; // written() continues the loop when the socket took the
							// message
				}
			}
		}
	}

	private void written(@Nullable Throwable failure) {
		boolean continueHere;
		synchronized (this) {
			WebSocketMessage<?> done = this.queue.poll();
			if (done != null) {
				this.queuedBytes -= done.getPayloadLength();
			}
			this.writeStartedNanos = 0;
			if (failure != null) {
				this.writing = false;
				continueHere = false;
			}
			else if (this.inDrainLoop) {
				this.completedInline = true;
				continueHere = false;
			}
			else {
				continueHere = true;
			}
		}
		if (failure != null && isTimeout(failure)) {
			slowConsumer("send time limit exceeded");
		}
		else if (failure != null) {
			this.listener.writeFailed(this, failure);
		}
		else if (continueHere) {
			drain();
		}
	}

	/** What the buffer reports; {@link OutboundBuffers} closes the session. */
	interface Listener {

		void slowConsumer(OutboundBuffer buffer, String reason);

		void writeFailed(OutboundBuffer buffer, Throwable failure);

	}

}
