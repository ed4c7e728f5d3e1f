package io.courier.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster chaos suite's short form, in every test run: two gateway processes on the
 * three-node cluster of {@code rabbitmq/cluster.sh} (started here if it is not running),
 * STOMP and SSE clients following orders, events over HTTP and AMQP, and for 30 s the
 * broker node leading {@code courier.order-events} killed with SIGKILL, then started
 * again. Every accepted event reaches its history clients in order, events are accepted
 * while the node is down, clients are subscribed again within 10 s of a drop, clients on
 * the relay's path ({@code /topic/orders.{id}}) receive again afterwards, and the node
 * rejoins.
 */
class ClusterChaosSmokeIntegrationTests {

	private static final Path SCRIPT = Path.of("../rabbitmq/cluster.sh");

	private static final Pattern CLUSTER = Pattern.compile("\"accepted_during_outage\":(\\d+),\"killed\":\"([^\"]+)\""
			+ ",\"running_after\":(\\d+)" + ",\"queue_members_before\":(\\d+)");

	private static final Pattern TOPICS = Pattern
		.compile("\"transport\":\"topic\",\"clients\":(\\d+),.*\"receiving_after_restart\":(\\d+)");

	@BeforeAll
	static void clusterUp() throws Exception {
		Process up = new ProcessBuilder("bash", SCRIPT.toString(), "up").inheritIO()
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		assertThat(up.waitFor(240, TimeUnit.SECONDS)).as("rabbitmq/cluster.sh up within 240 s").isTrue();
		assertThat(up.exitValue()).as("rabbitmq/cluster.sh up").isZero();
	}

	@Test
	void nothingAcceptedIsLostOrReorderedWhenABrokerNodeIsKilled() throws Exception {
		ChaosRun run = ChaosRun.run("--broker", "cluster", "--cluster-script", SCRIPT.toString(), "--duration", "30",
				"--rate", "20", "--stomp-users", "6", "--sse-users", "4", "--topic-users", "4", "--base-port", "18480",
				"--log-dir", "target/cluster-chaos", "--gateway-args=--courier.warmup.enabled=false");
		run.assertNothingLostOrReordered();
		String output = run.output;
		for (ChaosRun.Transport transport : run.transports) {
			assertThat(transport.longestReconnectMs()).as(transport.name() + " longest reconnect (ms)\n" + output)
				.isLessThanOrEqualTo(10_000);
		}
		Matcher cluster = CLUSTER.matcher(output);
		assertThat(cluster.find()).as("the broker node was killed and started\n" + output).isTrue();
		assertThat(Integer.parseInt(cluster.group(4)))
			.as("nodes with a member of courier.order-events before the kill (rabbitmq/cluster.sh up grows it)")
			.isEqualTo(3);
		assertThat(Long.parseLong(cluster.group(1))).as("events accepted while " + cluster.group(2) + " was down")
			.isPositive();
		assertThat(Integer.parseInt(cluster.group(3))).as("nodes running after the restart").isEqualTo(3);
		Matcher topics = TOPICS.matcher(output);
		assertThat(topics.find()).as("the relay-path clients' result\n" + output).isTrue();
		assertThat(topics.group(2))
			.as("relay-path clients receiving again after the broker node came back (of " + topics.group(1)
					+ "; topics re-subscribed on the other nodes)\n" + output)
			.isEqualTo(topics.group(1));
	}

}
