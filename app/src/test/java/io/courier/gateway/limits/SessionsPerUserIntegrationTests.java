package io.courier.gateway.limits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.TestIdentityProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sessions-per-user} under a burst of concurrent CONNECTs of one user: exact on
 * one node; across two nodes within one announcement delay, whose effect is measured here
 * (and quoted in README).
 */
class SessionsPerUserIntegrationTests {

	private static final int LIMIT = 20;

	private static final Map<String, Object> NODE = Map.of("courier.limits.sessions-per-user", LIMIT,
			"courier.limits.handshake-rate", 1000, "courier.limits.handshake-burst", 1000);

	private final List<RawStompSocket> sockets = new ArrayList<>();

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	@AfterEach
	void close() throws IOException {
		for (RawStompSocket socket : this.sockets) {
			socket.close();
		}
		this.nodes.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void aBurstOnOneNodeGetsExactlyTheLimit() throws Exception {
		ConfigurableApplicationContext node = start("limit-a");
		List<String> answers = connectAtOnce("crowd-" + System.nanoTime(), List.of(GatewayNodes.port(node)), 100);

		assertThat(answers.stream().filter((answer) -> answer.equals("CONNECTED"))).hasSize(LIMIT);
		assertThat(answers.stream().filter((answer) -> answer.equals("too many sessions: limit 20 per user")))
			.hasSize(100 - LIMIT);
	}

	/**
	 * Each node counts its own sessions exactly and the other's from presence, which lags
	 * by an announcement: in a burst split over two nodes, each may admit up to the limit
	 * before it hears of the other's.
	 */
	@Test
	void aBurstOverTwoNodesStaysWithinTwiceTheLimit() throws Exception {
		ConfigurableApplicationContext a = start("limit-a");
		ConfigurableApplicationContext b = start("limit-b");
		List<String> answers = connectAtOnce("crowd-" + System.nanoTime(),
				List.of(GatewayNodes.port(a), GatewayNodes.port(b)), 100);

		long accepted = answers.stream().filter((answer) -> answer.equals("CONNECTED")).count();
		System.out.println(
				"sessions-per-user " + LIMIT + ", 100 concurrent CONNECTs over two nodes: " + accepted + " accepted");
		assertThat(accepted).isBetween((long) LIMIT, 2L * LIMIT);
		assertThat(answers).filteredOn((answer) -> !answer.equals("CONNECTED"))
			.allMatch((answer) -> answer.equals("too many sessions: limit 20 per user"));
	}

	private ConfigurableApplicationContext start(String nodeId) {
		ConfigurableApplicationContext node = GatewayNodes.start(nodeId, NODE);
		this.nodes.add(node);
		return node;
	}

	/**
	 * Opens {@code count} sockets (round robin over the ports), then sends every CONNECT
	 * at once.
	 */
	private List<String> connectAtOnce(String user, List<Integer> ports, int count) throws Exception {
		String token = TestIdentityProvider.get().token(user);
		for (int i = 0; i < count; i++) {
			this.sockets.add(RawStompSocket.open(ports.get(i % ports.size()), 64 * 1024));
		}
		ExecutorService threads = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> answers = new ArrayList<>();
			for (RawStompSocket socket : this.sockets) {
				Callable<String> connect = () -> {
					start.await();
					socket.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0",
							"Authorization:Bearer " + token);
					String frame = socket.readFrame();
					return frame.startsWith("CONNECTED") ? "CONNECTED" : RawStompSocket.header(frame, "message");
				};
				answers.add(threads.submit(connect));
			}
			start.countDown();
			List<String> results = new ArrayList<>();
			for (Future<String> answer : answers) {
				results.add(answer.get(30, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			threads.shutdownNow();
		}
	}

}
