package io.courier.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * What another program on {@code courier.cluster} sees and does, e.g. the admin console:
 * an exclusive, server-named queue bound to the given routing keys, which also receives
 * replies to the requests this tap sends (their {@code reply_to}). One channel, so what
 * it publishes keeps its order.
 */
public final class ClusterTap implements AutoCloseable {

	public static final String EXCHANGE = "courier.cluster";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Connection connection;

	private final @Nullable CachingConnectionFactory ownFactory;

	private final Channel channel;

	private final String queue;

	private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	/** A message as it arrived: its JSON body and AMQP properties. */
	public record Received(JsonNode body, AMQP.BasicProperties properties, String routingKey) {
	}

	private ClusterTap(ConnectionFactory connectionFactory, @Nullable CachingConnectionFactory ownFactory,
			String... routingKeys) throws IOException {
		this.ownFactory = ownFactory;
		this.connection = connectionFactory.createConnection();
		this.channel = this.connection.createChannel(false);
		this.queue = this.channel.queueDeclare("", false, true, true, null).getQueue();
		for (String key : routingKeys) {
			this.channel.queueBind(this.queue, EXCHANGE, key);
		}
		this.channel.basicConsume(this.queue, true,
				(tag, delivery) -> this.received
					.add(new Received(json.readTree(new String(delivery.getBody(), StandardCharsets.UTF_8)),
							delivery.getProperties(), delivery.getEnvelope().getRoutingKey())),
				(tag) -> {
				});
	}

	/**
	 * Opens a tap bound to {@code routingKeys} (topic patterns) on
	 * {@code courier.cluster}.
	 */
	public static ClusterTap open(ConnectionFactory connectionFactory, String... routingKeys) {
		try {
			return new ClusterTap(connectionFactory, null, routingKeys);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Opens a tap on a connection of its own to the test vhost, closed with the tap. */
	public static ClusterTap open(String... routingKeys) {
		CachingConnectionFactory factory = RabbitBroker.connectionFactory();
		try {
			return new ClusterTap(factory, factory, routingKeys);
		}
		catch (IOException ex) {
			factory.destroy();
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Publishes {@code body} (JSON) to {@code courier.cluster}, persistent, as the
	 * console would.
	 */
	public void publish(String routingKey, String body) {
		publish(EXCHANGE, routingKey, body);
	}

	/** Publishes {@code body} (JSON) to {@code exchange}, persistent. */
	public void publish(String exchange, String routingKey, String body) {
		send(exchange, routingKey, body,
				new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build());
	}

	/**
	 * Publishes a request with {@code reply_to} this tap's queue; returns its correlation
	 * id.
	 */
	public String request(String routingKey, String body) {
		String correlationId = UUID.randomUUID().toString();
		send(EXCHANGE, routingKey, body,
				new AMQP.BasicProperties.Builder().contentType("application/json")
					.replyTo(this.queue)
					.correlationId(correlationId)
					.build());
		return correlationId;
	}

	private void send(String exchange, String routingKey, String body, AMQP.BasicProperties properties) {
		try {
			this.channel.basicPublish(exchange, routingKey, properties, body.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The first message (dropping others) whose body matches, within {@code seconds}. */
	public Received await(Predicate<Received> matching, long seconds) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		try {
			while (System.nanoTime() < deadline) {
				Received next = this.received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				if (next != null && matching.test(next)) {
					return next;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new AssertionError("No matching message on " + EXCHANGE + " within " + seconds + " s");
	}

	/**
	 * The first {@code type} message with {@code field} = {@code value} (dropping
	 * others), within 10 s.
	 */
	public JsonNode await(String type, String field, String value) {
		return await((r) -> type.equals(text(r.body(), "type")) && value.equals(text(r.body(), field)), 10).body();
	}

	/**
	 * Replies to {@code correlationId} by the answering node's id: until each of
	 * {@code nodes} answered, or for {@code millis} (the console waits 2 s).
	 */
	public Map<String, JsonNode> replies(String correlationId, Set<String> nodes, long millis) {
		Map<String, JsonNode> replies = new TreeMap<>();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		try {
			long left;
			while ((left = deadline - System.nanoTime()) > 0 && !replies.keySet().containsAll(nodes)) {
				Received next = this.received.poll(left, TimeUnit.NANOSECONDS);
				if (next != null && correlationId.equals(next.properties().getCorrelationId())) {
					replies.put(text(next.body(), "nodeId"), next.body());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return replies;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

	@Override
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException | TimeoutException ex) {
			// the connection goes next, and the exclusive queue with it
		}
		this.connection.close();
		if (this.ownFactory != null) {
			this.ownFactory.destroy();
		}
	}

}
