package io.courier.admin.cluster;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.AsyncConsumerStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.courier.admin.limits.LimitsStore;
import io.courier.contract.ClusterExchange;
import io.courier.contract.ClusterMessage;
import io.courier.contract.LimitHit;
import io.courier.contract.LimitsDocument;

/**
 * Feeds what the gateways say on {@code courier.cluster} into the {@link ClusterView}
 * (and limit documents into the {@link LimitsStore}). Whenever its consumer (re)starts,
 * i.e. its queue was just bound, it asks every node for a snapshot
 * ({@code node.snapshot-request}), so the view is complete without waiting for joins.
 */
@Component
class ClusterListener implements MessageListener {

	private static final Log logger = LogFactory.getLog(ClusterListener.class);

	private final ClusterView view;

	private final LimitsStore limits;

	private final RabbitTemplate rabbit;

	private final ObjectMapper mapper;

	private final Queue queue;

	private final String consoleId = "console-" + UUID.randomUUID().toString().substring(0, 8);

	ClusterListener(ClusterView view, LimitsStore limits, RabbitTemplate rabbit, ObjectMapper mapper,
			Queue clusterEventQueue) {
		this.view = view;
		this.queue = clusterEventQueue;
		this.limits = limits;
		this.rabbit = rabbit;
		this.mapper = mapper;
	}

	@Override
	public void onMessage(Message message) {
		String routingKey = message.getMessageProperties().getReceivedRoutingKey();
		try {
			if (LimitsDocument.TYPE.equals(routingKey)) {
				this.limits.offer(message.getBody());
			}
			else if (LimitHit.TYPE.equals(routingKey)) {
				apply(this.mapper.readValue(message.getBody(), LimitHit.class), Instant.now());
			}
			else {
				apply(this.mapper.readValue(message.getBody(), ClusterMessage.class), Instant.now());
			}
		}
		catch (JacksonException | IllegalArgumentException ex) {
			logger.warn("Ignoring unreadable " + routingKey + " on " + ClusterExchange.NAME + ": " + ex.getMessage());
		}
	}

	void apply(ClusterMessage message, Instant now) {
		String nodeId = message.nodeId();
		if (nodeId == null || nodeId.equals(this.consoleId)) {
			return;
		}
		switch (message.type()) {
			case ClusterMessage.HEARTBEAT -> this.view.heartbeat(nodeId, message.node(), now);
			case ClusterMessage.JOIN -> {
				if (message.session() != null) {
					this.view.join(message.session(), now);
				}
			}
			case ClusterMessage.LEAVE -> {
				if (message.session() != null) {
					this.view.leave(message.session().sessionId(), now);
				}
			}
			case ClusterMessage.SNAPSHOT ->
				this.view.snapshot(nodeId, (message.sessions() != null) ? message.sessions() : List.of(), now);
			case ClusterMessage.NODE_LEAVE -> this.view.removeNode(nodeId, now);
			default -> logger.debug("Ignoring cluster message " + message.type());
		}
	}

	/**
	 * Keeps a hit for the Limits page; one without a time gets the time the console heard
	 * it.
	 */
	void apply(LimitHit hit, Instant now) {
		if (hit.nodeId() == null) {
			return;
		}
		this.view.limitHit(new LimitHit(LimitHit.TYPE, hit.nodeId(), (hit.at() != null) ? hit.at() : now,
				String.valueOf(hit.limit()), hit.user(), hit.sessionId(), String.valueOf(hit.remoteAddress()),
				String.valueOf(hit.detail())));
	}

	@EventListener
	void onConsumerStarted(AsyncConsumerStartedEvent event) {
		if (event.getSource() instanceof AbstractMessageListenerContainer container
				&& List.of(container.getQueueNames()).contains(this.queue.getActualName())) {
			requestSnapshot();
		}
	}

	@Scheduled(fixedDelay = 1000)
	void expireSilentNodes() {
		this.view.expire(Instant.now());
	}

	private void requestSnapshot() {
		try {
			byte[] body = this.mapper.writeValueAsBytes(new ClusterMessage(ClusterMessage.SNAPSHOT_REQUEST,
					this.consoleId, Instant.now(), null, null, null));
			this.rabbit.send(ClusterExchange.NAME, ClusterMessage.SNAPSHOT_REQUEST,
					MessageBuilder.withBody(body).setContentType(MessageProperties.CONTENT_TYPE_JSON).build());
		}
		catch (AmqpException ex) {
			logger.warn("Could not ask the gateways for a snapshot: " + ex.getMessage());
		}
	}

}
