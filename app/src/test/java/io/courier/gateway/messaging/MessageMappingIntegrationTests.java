package io.courier.gateway.messaging;

import java.io.IOException;
import java.security.Principal;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.stereotype.Controller;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that embeds the gateway keeps Spring's {@code @MessageMapping}: with
 * {@code courier.upstream} off (the default), a client's SEND to {@code /app/...} reaches
 * the handler, after the gateway's rules and header policy, and the handler's
 * {@code @SendToUser} answer reaches the sender through RabbitMQ.
 */
@Import(MessageMappingIntegrationTests.Greeter.class)
class MessageMappingIntegrationTests extends GatewayIntegrationTest {

	@TestConfiguration(proxyBeanMethods = false)
	@Controller
	static class Greeter {

		@MessageMapping("/greet")
		@SendToUser(destinations = "/queue/greetings", broadcast = false)
		String greet(@Payload String name, Principal user) {
			return "hello " + name + ", from " + user.getName();
		}

	}

	@Test
	void aSendToAppReachesTheHandlerAndItsAnswerTheSender() throws IOException {
		try (RawStompSocket client = RawStompSocket.connect(this.port, this.idp.token("grace"))) {
			client.sendFrame("SUBSCRIBE", "id:g", "destination:/user/queue/greetings", "receipt:ready");
			assertThat(client.readFrame()).startsWith("RECEIPT");
			client.sendText("SEND\ndestination:/app/greet\ncontent-type:text/plain\n\nworld\0");
			String answer = client.readFrame();
			assertThat(RawStompSocket.body(answer)).isEqualTo("hello world, from grace");
			assertThat(RawStompSocket.header(answer, "destination")).isEqualTo("/user/queue/greetings");
		}
	}

}
