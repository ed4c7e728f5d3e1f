package io.courier.gateway.history;

import java.util.Map;
import java.util.Set;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps one copy per user of what is sent to a user destination, for SSE and poll
 * clients. STOMP delivers {@code /user/{name}/queue/x} to the user's sessions through
 * {@code courier.user}, with a routing key that RabbitMQ's STOMP plugin chose; history
 * needs it once per user, with the user and the destination the client subscribed to as
 * headers.
 */
@Component
public class UserEventHistory {

	static final String USER_HEADER = "courier-user";

	static final String DESTINATION_HEADER = "courier-destination";

	/**
	 * The user destinations history keeps, so SSE and polling serve them: what the
	 * gateway itself sends to users. Another {@code /user/queue/...} would be a
	 * subscription on which nothing ever arrives: it is refused (400).
	 */
	public static final Set<String> DESTINATIONS = Set.of("/user/queue/order-updates");

	private final RabbitTemplate rabbit;

	UserEventHistory(RabbitTemplate rabbit) {
		this.rabbit = rabbit;
	}

	/**
	 * Publishes the copy and waits for RabbitMQ's confirm, so that a caller that
	 * acknowledges its input afterwards loses nothing; throws
	 * {@link org.springframework.amqp.AmqpException} if it was not confirmed.
	 * @param user the user's principal name
	 * @param destination the destination as the client names it, e.g.
	 * {@code /user/queue/order-updates}
	 * @param json the body
	 */
	public void record(String user, String destination, byte[] json) {
		if (!DESTINATIONS.contains(destination)) {
			throw new IllegalArgumentException(destination + " is not kept in history (" + DESTINATIONS + ")");
		}
		org.springframework.amqp.core.Message message = MessageBuilder.withBody(json)
			.setContentType(MessageProperties.CONTENT_TYPE_JSON)
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.copyHeaders(Map.of(USER_HEADER, user, DESTINATION_HEADER, destination))
			.build();
		this.rabbit.invoke((operations) -> {
			operations.send(HistoryTopology.EXCHANGE, HistoryTopology.USER_KEY, message);
			operations.waitForConfirmsOrDie(5_000);
			return null;
		});
	}

}
