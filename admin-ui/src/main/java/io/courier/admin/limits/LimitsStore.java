package io.courier.admin.limits;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import io.courier.admin.cluster.ClusterMessage;
import io.courier.admin.live.LiveUpdates;

/**
 * The newest limits document the console has seen: read from the stream
 * {@code courier.limits} from its first offset (as the gateways read it) and from live
 * {@code limits.changed} messages; the highest version wins. Publishing a change is a
 * persistent {@code limits.changed} on {@code courier.cluster}, confirmed by RabbitMQ;
 * the stream's binding keeps it for gateways that start later.
 */
@Component
public class LimitsStore {

	static final String STREAM = "courier.limits";

	private static final Log logger = LogFactory.getLog(LimitsStore.class);

	private final ObjectMapper mapper;

	private final RabbitTemplate rabbit;

	private final LiveUpdates live;

	private volatile LimitsDocument current;

	LimitsStore(ObjectMapper mapper, RabbitTemplate rabbit, LiveUpdates live, LimitsProperties defaults) {
		this.mapper = mapper;
		this.rabbit = rabbit;
		this.live = live;
		this.current = new LimitsDocument(ClusterMessage.LIMITS_CHANGED, 0, null, null, defaults.limits(), Map.of());
	}

	public LimitsDocument current() {
		return this.current;
	}

	/** A {@code limits.changed} body from the stream or the exchange. */
	public void offer(byte[] body) {
		try {
			offer(this.mapper.readValue(body, LimitsDocument.class));
		}
		catch (JacksonException ex) {
			logger.warn("Ignoring an unreadable limits document: " + ex.getMessage());
		}
	}

	synchronized void offer(LimitsDocument document) {
		if (document.version() > this.current.version()) {
			this.current = document;
			this.live.changed(LiveUpdates.LIMITS);
		}
	}

	/** Publishes {@code document} (persistent, confirmed) and takes it as current. */
	void publish(LimitsDocument document) {
		byte[] body = this.mapper.writeValueAsBytes(document);
		this.rabbit.invoke((operations) -> {
			operations.send(ClusterMessage.EXCHANGE, ClusterMessage.LIMITS_CHANGED,
					MessageBuilder.withBody(body)
						.setContentType(MessageProperties.CONTENT_TYPE_JSON)
						.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
						.build());
			operations.waitForConfirmsOrDie(5000);
			return null;
		});
		offer(document);
	}

}
