package io.courier.bench;

import org.junit.jupiter.api.Test;

/**
 * The chaos suite's short form, in every test run: two gateway processes, a SIGKILL and
 * restart of one, RabbitMQ stopped and started, sockets cut, for 20 s; every accepted
 * event reaches its STOMP and SSE clients, in order (duplicates are counted, not failed:
 * an order event redelivered after the SIGKILL is recorded twice). The gateways skip the
 * warm-up (start-up time; WarmupIntegrationTests covers it).
 */
class ChaosSmokeIntegrationTests {

	@Test
	void nothingAcceptedIsLostOrReorderedAcrossAGatewayKillAndABrokerRestart() throws Exception {
		ChaosRun
			.run("--duration", "20", "--rate", "20", "--stomp-users", "6", "--sse-users", "4", "--base-port", "18280",
					"--log-dir", "target/chaos")
			.assertNothingLostOrReordered();
	}

}
