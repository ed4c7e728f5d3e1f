package io.courier.admin.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import io.courier.contract.ClusterExchange;
import io.courier.contract.Control;
import io.courier.contract.Control.Reply;

/**
 * Request/reply over {@code courier.cluster}: publishes {@code control.<command>} with
 * {@code reply_to} (the console's own exclusive queue) and a fresh
 * {@code correlation_id}; every live node answers to that queue. Collects replies until
 * each expected node answered or the timeout passed, and says which nodes did not answer.
 */
@Component
public class ControlClient implements MessageListener {

	private static final Log logger = LogFactory.getLog(ControlClient.class);

	private final RabbitTemplate rabbit;

	private final ObjectMapper mapper;

	private final Queue replyQueue;

	private final Duration timeout;

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	ControlClient(RabbitTemplate rabbit, ObjectMapper mapper, Queue controlReplyQueue, ClusterProperties properties) {
		this.rabbit = rabbit;
		this.mapper = mapper;
		this.replyQueue = controlReplyQueue;
		this.timeout = properties.controlTimeout();
	}

	/**
	 * Sends {@code body} as {@code command} (one of {@link Control}'s) and waits for the
	 * replies of {@code expectedNodes} (at most the timeout).
	 */
	public ControlReplies request(String command, Object body, Collection<String> expectedNodes) {
		String correlationId = UUID.randomUUID().toString();
		Pending replies = new Pending(expectedNodes);
		this.pending.put(correlationId, replies);
		try {
			Message message = MessageBuilder.withBody(this.mapper.writeValueAsBytes(body))
				.setContentType(MessageProperties.CONTENT_TYPE_JSON)
				.setReplyTo(this.replyQueue.getActualName())
				.setCorrelationId(correlationId)
				.build();
			this.rabbit.send(ClusterExchange.NAME, command, message);
			return replies.await(this.timeout);
		}
		finally {
			this.pending.remove(correlationId);
		}
	}

	@Override
	public void onMessage(Message message) {
		String correlationId = message.getMessageProperties().getCorrelationId();
		Pending replies = (correlationId != null) ? this.pending.get(correlationId) : null;
		if (replies == null) {
			return;
		}
		try {
			replies.add(this.mapper.readValue(message.getBody(), Reply.class));
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring an unreadable control reply: " + ex.getMessage());
		}
	}

	/** Replies to one request. */
	private static final class Pending {

		private final Set<String> waitingFor;

		private final List<Reply> replies = new ArrayList<>();

		Pending(Collection<String> expectedNodes) {
			this.waitingFor = new TreeSet<>(expectedNodes);
		}

		synchronized void add(Reply reply) {
			this.replies.add(reply);
			if (reply.nodeId() != null) {
				this.waitingFor.remove(reply.nodeId());
			}
			notifyAll();
		}

		synchronized ControlReplies await(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				while (!this.waitingFor.isEmpty()) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						break;
					}
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new ControlReplies(List.copyOf(this.replies), List.copyOf(this.waitingFor));
		}

	}

}
