package io.courier.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's short form, in every test run: two gateway processes, a SIGKILL and
 * restart of one, RabbitMQ stopped and started, sockets cut, for 20 s; every accepted
 * event reaches its STOMP and SSE clients, in order (duplicates are counted, not failed:
 * an order event redelivered after the SIGKILL is recorded twice).
 */
class ChaosSmokeIntegrationTests {

	private static final Pattern TRANSPORT = Pattern
		.compile("RESULT \\{\"scenario\":\"chaos\",\"transport\":\"(\\w+)\",\"clients\":\\d+,\"accepted\":(\\d+),"
				+ "\"not_accepted\":\\d+,\"lost\":(\\d+),\"duplicated\":\\d+,\"out_of_order\":(\\d+)");

	@Test
	void nothingAcceptedIsLostOrReorderedAcrossAGatewayKillAndABrokerRestart() throws Exception {
		Path jar = Path
			.of(System.getProperty("courier.gateway.jar", "../app/target/courier-gateway-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the gateway jar (the reactor builds app before bench)").exists();
		Path keys = Files.createTempDirectory("courier-chaos-keys");
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
		new Bench(out).run("chaos", "--duration", "20", "--rate", "20", "--stomp-users", "6", "--sse-users", "4",
				"--gateway-jar", jar.toString(), "--key-dir", keys.toString(), "--base-port", "18280", "--log-dir",
				"target/chaos");
		String output = captured.toString(StandardCharsets.UTF_8);
		System.out.println(output);
		Matcher m = TRANSPORT.matcher(output);
		int transports = 0;
		while (m.find()) {
			transports++;
			assertThat(Long.parseLong(m.group(2))).as(m.group(1) + " accepted\n" + output).isPositive();
			assertThat(Long.parseLong(m.group(3))).as(m.group(1) + " lost\n" + output).isZero();
			assertThat(Long.parseLong(m.group(4))).as(m.group(1) + " out of order\n" + output).isZero();
		}
		assertThat(transports).as(output).isEqualTo(2);
	}

}
