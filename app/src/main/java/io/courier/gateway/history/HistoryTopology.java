package io.courier.gateway.history;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Declares the history: the stream queue ({@code courier.history}: durable,
 * {@code x-queue-type: stream}, with the retention of {@link HistoryProperties}), the
 * topic exchange {@code courier.history} that user-addressed copies are published to, and
 * the stream's bindings to both exchanges ({@code amq.topic} with the configured patterns
 * only, so that high-rate topics outside them do not fill history).
 *
 * <p>
 * Declared on a channel of its own rather than through {@code RabbitAdmin}: a stream's
 * retention arguments are fixed when it is created, and a later declaration with other
 * values is refused (406 PRECONDITION_FAILED). Here that refusal is logged and the
 * existing stream is used as it is, instead of failing every declaration.
 *
 * <p>
 * No {@code x-initial-cluster-size}: on a cluster RabbitMQ 3.10 gives a new stream a
 * replica on every node (seen on the 3-node cluster, {@code docs/CLUSTER.md}), and the
 * argument is part of the equivalence check, so adding it would have every existing
 * stream's declaration refused.
 */
@Component
class HistoryTopology {

	private static final Log logger = LogFactory.getLog(HistoryTopology.class);

	/** Topic exchange that the gateway publishes user-addressed history copies to. */
	static final String EXCHANGE = "courier.history";

	/** Routing key of user-addressed copies on {@link #EXCHANGE}. */
	static final String USER_KEY = "user";

	static final String TOPIC_EXCHANGE = "amq.topic";

	private final ConnectionFactory connectionFactory;

	private final HistoryProperties properties;

	HistoryTopology(ConnectionFactory connectionFactory, HistoryProperties properties) {
		this.connectionFactory = connectionFactory;
		this.properties = properties;
	}

	String stream() {
		return this.properties.stream();
	}

	/**
	 * Declares everything; safe to call again (after a broker restart, before each
	 * re-subscription).
	 */
	void declare() throws IOException {
		Connection connection = this.connectionFactory.createConnection();
		try (Channel channel = connection.createChannel(false)) {
			channel.queueDeclare(stream(), true, false, false, streamArguments());
		}
		catch (IOException ex) {
			if (!String.valueOf(ex.getCause()).contains("PRECONDITION_FAILED")) {
				throw ex;
			}
			logger.warn("Stream " + stream() + " exists with other retention arguments; keeping them ("
					+ ex.getCause().getMessage() + "). Delete the stream to apply courier.sse.retention-*.");
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IOException(ex);
		}
		try (Channel channel = connection.createChannel(false)) {
			channel.exchangeDeclare(EXCHANGE, "topic", true, false, null);
			channel.queueBind(stream(), EXCHANGE, USER_KEY);
			for (String pattern : this.properties.topics()) {
				channel.queueBind(stream(), TOPIC_EXCHANGE, pattern);
			}
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IOException(ex);
		}
	}

	Map<String, Object> streamArguments() {
		Map<String, Object> arguments = new HashMap<>();
		arguments.put("x-queue-type", "stream");
		arguments.put("x-max-age", this.properties.retentionMaxAge().toSeconds() + "s");
		arguments.put("x-max-length-bytes", this.properties.retentionMaxBytes().toBytes());
		arguments.put("x-stream-max-segment-size-bytes", (int) this.properties.segmentSize().toBytes());
		return arguments;
	}

}
