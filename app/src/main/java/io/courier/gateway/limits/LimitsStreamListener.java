package io.courier.gateway.limits;

import java.util.List;

import jakarta.validation.Validator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.stereotype.Component;

import io.courier.contract.LimitsDocument;

/**
 * Applies the {@code limits.changed} documents read from the {@code courier.limits}
 * stream: a newer valid one is put in force at once; an invalid one (by the contract's
 * constraints, {@link LimitsDocument#problems}) is refused whole, with a log line naming
 * each wrong field, and the limits in force stay.
 */
@Component
class LimitsStreamListener implements MessageListener {

	private static final Log logger = LogFactory.getLog(LimitsStreamListener.class);

	private final ObjectMapper mapper;

	private final RuntimeLimits limits;

	private final Validator validator;

	LimitsStreamListener(ObjectMapper mapper, RuntimeLimits limits, Validator validator) {
		this.mapper = mapper;
		this.limits = limits;
		this.validator = validator;
	}

	@Override
	public void onMessage(Message message) {
		LimitsDocument document;
		try {
			document = this.mapper.readValue(message.getBody(), LimitsDocument.class);
		}
		catch (JacksonException ex) {
			logger.warn("Refusing a limits document that is not valid JSON: " + ex.getOriginalMessage());
			return;
		}
		List<String> problems = document.problems(this.validator);
		if (!problems.isEmpty()) {
			logger.warn("Refusing limits version " + document.version() + " by " + document.changedBy() + ": "
					+ String.join("; ", problems));
			return;
		}
		if (this.limits.apply(document)) {
			logger.info("Limits version " + document.version() + " by " + document.changedBy() + " in force: "
					+ this.limits.current());
		}
	}

}
