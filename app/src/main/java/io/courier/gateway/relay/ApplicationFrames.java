package io.courier.gateway.relay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Messages the application sends ({@code SimpMessagingTemplate}, user destinations), as
 * SENDs on the pooled connection their destination picks, so that one destination's
 * messages keep their order. A caller learns of a failed write (an order event is then
 * redelivered, not lost): it waits for the write, up to 10 s, unless it runs on a broker
 * connection's event loop, which must never block (the write is queued there in order,
 * and a failure is logged and fails the connection, whose sessions are told).
 */
final class ApplicationFrames {

	private static final Log logger = LogFactory.getLog(ApplicationFrames.class);

	private static final long WRITE_TIMEOUT_SECONDS = 10;

	private final ConnectionPool pool;

	ApplicationFrames(ConnectionPool pool) {
		this.pool = pool;
	}

	void send(Message<?> message, @Nullable String destination) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
		if (accessor.getCommand() == null) {
			accessor.updateStompCommandAsClientMessage();
		}
		BrokerConnection connection = (destination != null) ? this.pool.pick(destination.hashCode()) : null;
		if (connection == null) {
			throw new MessageDeliveryException(message, "Message broker not active: no broker connection is up. "
					+ "Consider listening for BrokerAvailabilityEvent before sending.");
		}
		if (!(message.getPayload() instanceof byte[] payload)) {
			throw new MessageDeliveryException(message, "the relay sends byte[] payloads only (use a converter)");
		}
		CompletableFuture<@Nullable Void> written = connection
			.send(MessageBuilder.createMessage(payload, accessor.getMessageHeaders()));
		if (this.pool.onEventLoop()) {
			written.whenComplete((done, ex) -> {
				if (ex != null) {
					logger.warn("Could not forward a message to " + destination + ": " + ex.getMessage());
				}
			});
			return;
		}
		try {
			written.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MessageDeliveryException(message, "interrupted while forwarding", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new MessageDeliveryException(message, "failed to forward to the broker", ex);
		}
	}

}
