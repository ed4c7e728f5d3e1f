package io.courier.gateway.orders;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import io.courier.gateway.orders.OrderEvent.InvalidOrderEventException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What {@link OrderEvent#parse} accepts from a backend service, and the dead-letter
 * reason for what it refuses.
 */
class OrderEventTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void validEventParsesAndKeepsExtraFields() {
		OrderEvent event = parse(
				"""
						{"orderId":"A-42_x","userId":"alice","status":"SHIPPED","at":"2026-11-24T10:00:00Z","total":{"cents":1999}}
						""");
		assertThat(event.orderId()).isEqualTo("A-42_x");
		assertThat(event.userId()).isEqualTo("alice");
		assertThat(event.status()).isEqualTo("SHIPPED");
		assertThat(event.json()).isEqualTo("{\"orderId\":\"A-42_x\",\"userId\":\"alice\",\"status\":\"SHIPPED\","
				+ "\"at\":\"2026-11-24T10:00:00Z\",\"total\":{\"cents\":1999}}");
	}

	@Test
	void numericOrderIdIsAccepted() {
		OrderEvent event = parse("{\"orderId\":42,\"userId\":\"alice\",\"status\":\"PAID\"}");
		assertThat(event.orderId()).isEqualTo("42");
		assertThat(event.routingKey()).isEqualTo("order.42");
	}

	@Test
	void anEventOverTheLimitIsRefusedBeforeItIsParsed() {
		byte[] body = "{\"orderId\":\"1\",\"userId\":\"a\",\"status\":\"B\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(OrderEvent.parse(this.mapper, body, body.length).orderId()).isEqualTo("1");
		assertThatExceptionOfType(InvalidOrderEventException.class)
			.isThrownBy(() -> OrderEvent.parse(this.mapper, body, body.length - 1))
			.withMessage("event is larger than " + (body.length - 1) + " bytes (courier.orders.max-event-size)");
	}

	@Test
	void routingKeyIsOrderDotId() {
		assertThat(parse("{\"orderId\":\"7f3a\",\"userId\":\"bob\",\"status\":\"NEW\"}").routingKey())
			.isEqualTo("order.7f3a");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedEvents")
	void invalidEventIsRefusedWithItsReason(String body, String reason) {
		assertThatExceptionOfType(InvalidOrderEventException.class).isThrownBy(() -> parse(body)).withMessage(reason);
	}

	static Stream<Arguments> refusedEvents() {
		String orderIdRule = "orderId must match [A-Za-z0-9_-]{1,64}";
		return Stream.of(arguments("{\"orderId\":\"42\",\"status\":\"PAID\"}", "missing or empty field 'userId'"),
				arguments("{\"orderId\":\"42\",\"userId\":null,\"status\":\"PAID\"}",
						"missing or empty field 'userId'"),
				arguments("{\"orderId\":\"42\",\"userId\":{\"id\":\"alice\"},\"status\":\"PAID\"}",
						"missing or empty field 'userId'"),
				arguments("{\"orderId\":\"42\",\"userId\":\"alice\",\"status\":\"\"}",
						"missing or empty field 'status'"),
				arguments("{\"orderId\":\"42\",\"userId\":\"alice\",\"status\":\"  \"}",
						"missing or empty field 'status'"),
				arguments("{\"userId\":\"alice\",\"status\":\"PAID\"}", "missing or empty field 'orderId'"),
				arguments("{\"orderId\":4.2,\"userId\":\"alice\",\"status\":\"PAID\"}",
						"missing or empty field 'orderId'"),
				arguments("{\"orderId\":\"4.2\",\"userId\":\"alice\",\"status\":\"PAID\"}", orderIdRule),
				arguments("{\"orderId\":\"*\",\"userId\":\"alice\",\"status\":\"PAID\"}", orderIdRule),
				arguments("{\"orderId\":\"42.#\",\"userId\":\"alice\",\"status\":\"PAID\"}", orderIdRule),
				arguments("{\"orderId\":\"" + "x".repeat(65) + "\",\"userId\":\"alice\",\"status\":\"PAID\"}",
						orderIdRule),
				arguments("[{\"orderId\":\"42\",\"userId\":\"alice\",\"status\":\"PAID\"}]",
						"body is not a JSON object"),
				arguments("\"order 42\"", "body is not a JSON object"), arguments("null", "body is not a JSON object"));
	}

	@Test
	void bodyThatIsNotJsonIsRefused() {
		assertThatExceptionOfType(InvalidOrderEventException.class).isThrownBy(() -> parse("order 42 shipped"))
			.withMessageStartingWith("body is not JSON: ")
			.withMessageContaining("order");
	}

	private OrderEvent parse(String body) {
		return OrderEvent.parse(this.mapper, body.getBytes(StandardCharsets.UTF_8));
	}

}
