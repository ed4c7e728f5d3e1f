package io.courier.admin.limits;

import java.util.List;
import java.util.Map;

import jakarta.validation.Validator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import io.courier.admin.live.LiveUpdates;
import io.courier.contract.ClusterExchange;
import io.courier.contract.LimitsDocument;
import io.courier.contract.LimitsDocument.Limits;

/**
 * The newest limits document the console has seen: read from the stream
 * {@code courier.limits} from its first offset (as the gateways read it) and from live
 * {@code limits.changed} messages; the highest version wins. A document that breaks the
 * contract's constraints is passed over, as every gateway refuses it; a global field it
 * leaves out is shown as the default ({@link LimitsProperties}). Publishing a change is a
 * persistent {@code limits.changed} on {@code courier.cluster}, confirmed by RabbitMQ;
 * the stream's binding keeps it for gateways that start later.
 */
@Component
public class LimitsStore {

	static final String STREAM = LimitsDocument.STREAM;

	private static final Log logger = LogFactory.getLog(LimitsStore.class);

	private final ObjectMapper mapper;

	private final RabbitTemplate rabbit;

	private final LiveUpdates live;

	private final Validator validator;

	private final Limits defaults;

	private volatile LimitsDocument current;

	LimitsStore(ObjectMapper mapper, RabbitTemplate rabbit, LiveUpdates live, LimitsProperties defaults,
			Validator validator) {
		this.mapper = mapper;
		this.rabbit = rabbit;
		this.live = live;
		this.validator = validator;
		this.defaults = defaults.limits();
		this.current = new LimitsDocument(LimitsDocument.TYPE, 0, null, null, this.defaults, Map.of());
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
		if (document.version() <= this.current.version()) {
			return;
		}
		List<String> problems = document.problems(this.validator);
		if (!problems.isEmpty()) {
			logger.warn("Ignoring limits version " + document.version() + " by " + document.changedBy()
					+ ", which the gateways refuse: " + String.join("; ", problems));
			return;
		}
		Limits limits = (document.limits() != null) ? document.limits().or(this.defaults) : this.defaults;
		this.current = new LimitsDocument(document.type(), document.version(), document.at(), document.changedBy(),
				limits, document.overrides());
		this.live.changed(LiveUpdates.LIMITS);
	}

	/**
	 * Publishes {@code document} (persistent, confirmed) and takes it as current.
	 * @throws IllegalArgumentException if the gateways would refuse it, naming each wrong
	 * field
	 */
	void publish(LimitsDocument document) {
		List<String> problems = document.problems(this.validator);
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", problems));
		}
		byte[] body = this.mapper.writeValueAsBytes(document);
		this.rabbit.invoke((operations) -> {
			operations.send(ClusterExchange.NAME, LimitsDocument.TYPE,
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
