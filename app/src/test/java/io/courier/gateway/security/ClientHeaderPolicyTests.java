package io.courier.gateway.security;

import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.messaging.simp.stomp.StompCommand;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The header table: which headers each client frame may carry, with no rule allowing
 * broker headers and with one that does. The refusal text names the header, the frame and
 * the destination.
 */
class ClientHeaderPolicyTests {

	private static final List<String> NONE = List.of();

	@ParameterizedTest(name = "{0} {1} with {2}")
	@MethodSource("refused")
	void refused(StompCommand command, @Nullable String destination, String header, String reason) {
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> ClientHeaderPolicy.check(command, destination, headers(command, header), NONE))
			.withMessage("forbidden header: " + header + " on " + command
					+ ((destination != null) ? " " + destination : "") + " (" + reason + ")")
			.satisfies((rejection) -> assertThat(rejection.error()).isEqualTo(ClientError.FORBIDDEN_HEADER));
	}

	static Stream<Arguments> refused() {
		String broker = "a RabbitMQ header no rule allows here";
		String gateway = "reserved for the gateway";
		return Stream.of(
				// SUBSCRIBE: queue declaration and consumption, the attacks of issue 20
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "x-queue-name", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "X-Queue-Name", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "durable", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "auto-delete", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "exclusive", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "persistent", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "prefetch-count", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "x-stream-offset", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "x-queue-type", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "x-message-ttl", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "x-dead-letter-exchange", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "selector", broker),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "foo", "not a header of this frame"),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "courier-session", gateway),
				// SEND: message properties RabbitMQ acts on, queue declaration on
				// /queue/, Courier's own
				arguments(StompCommand.SEND, "/app/x", "persistent", broker),
				arguments(StompCommand.SEND, "/app/x", "priority", broker),
				arguments(StompCommand.SEND, "/app/x", "expiration", broker),
				arguments(StompCommand.SEND, "/topic/chat.x", "reply-to", broker),
				arguments(StompCommand.SEND, "/app/x", "user-id", broker),
				arguments(StompCommand.SEND, "/app/x", "app-id", broker),
				arguments(StompCommand.SEND, "/topic/chat.x", "correlation-id", broker),
				arguments(StompCommand.SEND, "/app/x", "amqp-message-id", broker),
				arguments(StompCommand.SEND, "/app/x", "message-id", broker),
				arguments(StompCommand.SEND, "/app/x", "timestamp", broker),
				arguments(StompCommand.SEND, "/app/x", "type", broker),
				arguments(StompCommand.SEND, "/app/x", "content-encoding", broker),
				arguments(StompCommand.SEND, "/app/x", "durable", broker),
				arguments(StompCommand.SEND, "/app/x", "x-queue-type", broker),
				arguments(StompCommand.SEND, "/app/x", "x-max-length", broker),
				arguments(StompCommand.SEND, "/app/x", "courier-session", gateway),
				arguments(StompCommand.SEND, "/app/x", "Courier-User", gateway),
				arguments(StompCommand.SEND, "/app/x", "simpOrigDestination", gateway),
				// frames without a destination
				arguments(StompCommand.NACK, null, "requeue", "a RabbitMQ header"),
				arguments(StompCommand.ACK, null, "x-anything", "a RabbitMQ header"),
				arguments(StompCommand.BEGIN, null, "foo", "not a header of this frame"),
				arguments(StompCommand.COMMIT, null, "persistent", "a RabbitMQ header"),
				arguments(StompCommand.UNSUBSCRIBE, null, "destination", "not a header of this frame"));
	}

	@ParameterizedTest(name = "{0} {1} with {2}")
	@MethodSource("accepted")
	void accepted(StompCommand command, @Nullable String destination, String header) {
		assertThatCode(() -> ClientHeaderPolicy.check(command, destination, headers(command, header), NONE))
			.doesNotThrowAnyException();
	}

	static Stream<Arguments> accepted() {
		return Stream.of(arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "ack"),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "receipt"),
				arguments(StompCommand.SUBSCRIBE, "/topic/orders.1", "subscription-token"),
				arguments(StompCommand.SUBSCRIBE, "/topic/public.x", "content-type"),
				arguments(StompCommand.SEND, "/app/x", "transaction"),
				arguments(StompCommand.SEND, "/app/x", "receipt"),
				arguments(StompCommand.SEND, "/app/x", "content-type"),
				arguments(StompCommand.SEND, "/app/x", "content-length"),
				arguments(StompCommand.SEND, "/app/x", "order-id"), arguments(StompCommand.SEND, "/app/x", "trace"),
				// the request/reply contract of upstream SENDs, which never reach
				// RabbitMQ's STOMP plugin
				arguments(StompCommand.SEND, "/app/x", "reply-to"),
				arguments(StompCommand.SEND, "/app/x", "correlation-id"),
				arguments(StompCommand.ACK, null, "subscription"), arguments(StompCommand.ACK, null, "message-id"),
				arguments(StompCommand.ACK, null, "transaction"), arguments(StompCommand.NACK, null, "receipt"),
				arguments(StompCommand.BEGIN, null, "receipt"), arguments(StompCommand.UNSUBSCRIBE, null, "receipt"),
				arguments(StompCommand.DISCONNECT, null, "anything"),
				arguments(StompCommand.CONNECT, null, "Authorization"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("serverFrames")
	void serverFramesAreRefused(StompCommand command) {
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> ClientHeaderPolicy.check(command, "/topic/public.x", List.of("destination"), NONE))
			.withMessage("forbidden frame: " + command + " (only a server sends it)");
	}

	static Stream<StompCommand> serverFrames() {
		return Stream.of(StompCommand.MESSAGE, StompCommand.RECEIPT, StompCommand.ERROR, StompCommand.CONNECTED);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("allowedByRule")
	void aRuleAllowsTheBrokerHeadersItNames(StompCommand command, String header) {
		List<String> rule = new DestinationRule(DestinationRule.Frame.SUBSCRIBE, "/queue/work.*",
				DestinationRule.Access.AUTHENTICATED, List.of("prefetch-count", "persistent", "x-queue-type"))
			.brokerHeaders();
		assertThatCode(() -> ClientHeaderPolicy.check(command, "/queue/work.a", headers(command, header), rule))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(
					() -> ClientHeaderPolicy.check(command, "/queue/work.a", headers(command, "x-queue-name"), rule))
			.withMessageStartingWith("forbidden header: x-queue-name");
	}

	static Stream<Arguments> allowedByRule() {
		return Stream.of(arguments(StompCommand.SUBSCRIBE, "prefetch-count"),
				arguments(StompCommand.SEND, "persistent"), arguments(StompCommand.SEND, "x-queue-type"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("gatewayHeaders")
	void noRuleAllowsTheGatewaysOwnHeaders(String header) {
		List<String> rule = List.of(header.toLowerCase());
		assertThatExceptionOfType(ClientRejection.class).isThrownBy(
				() -> ClientHeaderPolicy.check(StompCommand.SEND, "/app/x", headers(StompCommand.SEND, header), rule))
			.withMessageEndingWith("(reserved for the gateway)");
	}

	static Stream<String> gatewayHeaders() {
		return Stream.of("courier-session", "simpOrigDestination");
	}

	private static List<String> headers(StompCommand command, String extra) {
		return switch (command) {
			case SEND -> List.of("destination", "content-length", extra);
			case SUBSCRIBE -> List.of("destination", "id", extra);
			default -> List.of(extra);
		};
	}

}
