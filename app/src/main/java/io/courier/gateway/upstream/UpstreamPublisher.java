package io.courier.gateway.upstream;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.security.TrustedSender;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.SessionTerminator;

/**
 * Publishes what clients SEND to {@code /app/...} to the upstream exchange
 * ({@code courier.inbound}), for backend services in any language: routing key from the
 * destination ({@link UpstreamRoute}), the body untouched, the client's
 * {@code content-type}, and as AMQP headers the gateway's word on who sent it
 * ({@code courier-sender}, {@code courier-sender-session}, {@code courier-at}), from
 * which node ({@code courier-node}) and to which destination
 * ({@code courier-destination}). A SEND with {@code reply-to: /user/queue/<name>} (and,
 * optionally, {@code correlation-id}) carries a reply address ({@link ReplyAddress}): the
 * backend publishes its answer there, and every session of the sender subscribed to that
 * destination gets it.
 *
 * <p>
 * Nothing is published into the void: the publish is mandatory and confirmed, so a SEND
 * that no backend queue is bound for gets ERROR {@code no backend: ...}, one RabbitMQ did
 * not confirm gets {@code broker unavailable}, and a receipt is answered only after the
 * confirm. Runs on the client inbound channel, in each session's order.
 */
@Component
class UpstreamPublisher implements MessageHandler, SmartLifecycle {

	private static final String DESTINATION_HEADER = "courier-destination";

	private static final String NODE_HEADER = "courier-node";

	private final UpstreamProperties properties;

	private final SubscribableChannel clientInbound;

	private final MessageChannel clientOutbound;

	private final SessionTerminator terminator;

	private final String nodeId;

	private final RabbitTemplate rabbit;

	private final CachingConnectionFactory connections;

	private volatile boolean running;

	UpstreamPublisher(UpstreamProperties properties,
			@Lazy @Qualifier("clientInboundChannel") SubscribableChannel clientInbound,
			@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutbound, SessionTerminator terminator,
			GatewayProperties gateway, CachingConnectionFactory connectionFactory) {
		this.properties = properties;
		this.clientInbound = clientInbound;
		this.clientOutbound = clientOutbound;
		this.terminator = terminator;
		this.nodeId = gateway.nodeId();
		// A connection factory of its own, on the same broker and credentials: correlated
		// confirms with returns, so
		// a publish's confirm tells whether it was routed (the application's template
		// uses simple confirms).
		CachingConnectionFactory upstream = new CachingConnectionFactory(
				connectionFactory.getRabbitConnectionFactory());
		upstream.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		upstream.setPublisherReturns(true);
		upstream.setConnectionNameStrategy((factory) -> "courier-upstream " + gateway.nodeId());
		this.connections = upstream;
		this.rabbit = new RabbitTemplate(upstream);
		this.rabbit.setMandatory(true);
	}

	@Override
	public void handleMessage(Message<?> message) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
		if (accessor.getCommand() != StompCommand.SEND || !(message.getPayload() instanceof byte[] body)) {
			return;
		}
		UpstreamRoute route = UpstreamRoute.of(accessor.getDestination());
		String sessionId = accessor.getSessionId();
		String sender = accessor.getFirstNativeHeader(TrustedSender.SENDER);
		if (route == null || sessionId == null || sender == null) {
			return; // not upstream, or not a client's (authorized, stamped) SEND
		}
		String receipt = accessor.getReceipt();
		try {
			publish(route, accessor, body, sender);
		}
		catch (ClientRejection rejection) {
			this.terminator.terminate(sessionId, rejection, receipt);
			return;
		}
		if (receipt != null) {
			StompHeaderAccessor answer = StompHeaderAccessor.create(StompCommand.RECEIPT);
			answer.setSessionId(sessionId);
			answer.setReceiptId(receipt);
			this.clientOutbound.send(org.springframework.messaging.support.MessageBuilder.createMessage(new byte[0],
					answer.getMessageHeaders()));
		}
	}

	private void publish(UpstreamRoute route, StompHeaderAccessor send, byte[] body, String sender) {
		MessageBuilderSupport<org.springframework.amqp.core.Message> amqp = MessageBuilder.withBody(body)
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.setHeader(TrustedSender.SENDER, sender)
			.setHeader(NODE_HEADER, this.nodeId)
			.setHeader(DESTINATION_HEADER, route.destination());
		copy(send, TrustedSender.SESSION, amqp);
		copy(send, TrustedSender.AT, amqp);
		String contentType = send.getFirstNativeHeader(StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER);
		if (contentType != null) {
			amqp.setContentType(contentType);
		}
		String correlationId = send.getFirstNativeHeader("correlation-id");
		if (correlationId != null) {
			amqp.setCorrelationId(correlationId);
		}
		String replyTo = send.getFirstNativeHeader("reply-to");
		if (replyTo != null) {
			if (!replyTo.startsWith(ReplyAddress.USER_QUEUE) || replyTo.length() == ReplyAddress.USER_QUEUE.length()
					|| replyTo.indexOf('*') >= 0 || replyTo.indexOf('#') >= 0) {
				throw new ClientRejection(ClientError.FORBIDDEN_HEADER, "reply-to on SEND " + route.destination()
						+ " (replies go to one of the sender's own /user/queue/... destinations)");
			}
			ReplyAddress reply = ReplyAddress.of(replyTo, sender);
			amqp.setReplyTo(reply.routingKey())
				.setHeader(ReplyAddress.EXCHANGE_HEADER, reply.exchange())
				.setHeader(ReplyAddress.KEY_HEADER, reply.routingKey());
		}
		CorrelationData correlation = new CorrelationData();
		CorrelationData.Confirm confirm;
		try {
			this.rabbit.send(this.properties.exchange(), route.routingKey(), amqp.build(), correlation);
			confirm = correlation.getFuture().get(this.properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (AmqpException | ExecutionException | TimeoutException ex) {
			throw unconfirmed(route, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unconfirmed(route, ex);
		}
		if (!confirm.ack()) {
			throw unconfirmed(route, null);
		}
		if (correlation.getReturned() != null) { // set before the confirm completes
			throw new ClientRejection(ClientError.NO_BACKEND, route.destination() + " (no queue is bound to "
					+ this.properties.exchange() + " with key " + route.routingKey() + ")");
		}
	}

	private static ClientRejection unconfirmed(UpstreamRoute route, @Nullable Exception ex) {
		return new ClientRejection(ClientError.BROKER_UNAVAILABLE,
				"RabbitMQ did not confirm the SEND to " + route.destination() + "; send it again", ex);
	}

	private static void copy(StompHeaderAccessor send, String header,
			MessageBuilderSupport<org.springframework.amqp.core.Message> amqp) {
		String value = send.getFirstNativeHeader(header);
		if (value != null) {
			amqp.setHeader(header, value);
		}
	}

	@Override
	public void start() {
		if (this.properties.enabled()) {
			this.rabbit.execute((channel) -> {
				channel.exchangeDeclare(this.properties.exchange(), "topic", true);
				return null;
			});
			this.clientInbound.subscribe(this);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.clientInbound.unsubscribe(this);
		this.connections.destroy();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the broker relay (its phase is Integer.MAX_VALUE): subscribes once the
	 * channels are in place.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1;
	}

}
