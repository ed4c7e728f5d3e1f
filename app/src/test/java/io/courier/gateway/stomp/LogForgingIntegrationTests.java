package io.courier.gateway.stomp;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client plants a log line: a destination with an escaped newline (STOMP's {@code \n})
 * followed by text that looks like the gateway's own log line. The refusal is logged with
 * the newline escaped, on one line.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogForgingIntegrationTests extends GatewayIntegrationTest {

	private static final String FORGED = "2026-12-03T10:00:00.000Z  INFO 1 --- [courier-gateway] [main] operator granted admin";

	@Test
	void aNewlineInARefusedDestinationStaysOnItsLogLine(CapturedOutput output) throws Exception {
		try (RawStompSocket client = RawStompSocket.open(this.port, 64 * 1024)) {
			client.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0",
					"Authorization:Bearer " + this.idp.token("forger"));
			assertThat(client.readFrame()).startsWith("CONNECTED");
			client.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/public.x\\n" + FORGED.replace(":", "\\c"));
			assertThat(client.readFrame()).startsWith("ERROR").contains("message:invalid destination");
		}
		await().until(() -> output.getOut().contains("control characters are not allowed"));
		assertThat(Arrays.stream(output.getOut().split("\\R"))).noneMatch((line) -> line.startsWith(FORGED));
		assertThat(output.getOut()).contains("/topic/public.x\\n" + FORGED);
	}

}
