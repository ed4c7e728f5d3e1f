package io.courier.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.courier.bench.stomp.StompSession;

/**
 * {@code order-e2e}: N users, user i owning order {@code bench-<i>}; E order events in
 * total at R events/s, round-robin over the orders, each event numbered per order.
 *
 * <p>
 * Courier: each user's token carries {@code orders:[bench-<i>]}, the session subscribes
 * {@code /user/queue/order-updates}, and events go over AMQP to {@code courier.orders}
 * with key {@code order.bench-<i>}; the gateway consuming {@code courier.order-events}
 * forwards them.
 *
 * <p>
 * Direct: Web-STOMP has no per-user routing and {@code courier.orders} is not
 * {@code amq.topic}, so the session subscribes {@code /topic/orders.bench-<i>} and the
 * event is published to {@code amq.topic} with key {@code orders.bench-<i>}: the
 * broker-only path of the same fan-in, not the same feature.
 */
final class OrderEndToEndScenario {

	private final BenchContext context;

	OrderEndToEndScenario(BenchContext context) {
		this.context = context;
	}

	void run() throws Exception {
		BenchOptions options = this.context.options;
		int users = options.integer("users", 100, 1, BenchOptions.MAX_SESSIONS);
		int rate = options.integer("rate", 100, 1, 100_000);
		int events = options.integer("events", 1000, 1, rate * BenchOptions.MAX_SECONDS);
		Rounds.run(this.context, "order-e2e " + users + " users, " + events + " events at " + rate
				+ " events/s (courier: courier.orders -> /user/queue/order-updates; direct: amq.topic orders.bench-<i>"
				+ " -> /topic/orders.bench-<i>, no per-user routing in Web-STOMP)",
				(target) -> run(target, users, events, rate), null);
	}

	Result run(Target target, int users, int events, int rate) throws Exception {
		Result result = new Result("order-e2e", target);
		result.put("users", users).put("events", events).put("rate", rate);
		result.put("path", (target == Target.COURIER) ? "courier.orders -> /user/queue/order-updates"
				: "amq.topic orders.bench-<i> -> /topic/orders.bench-<i>");
		long perUserIntervalNanos = (long) (1_000_000_000L * (double) users / rate);
		Receivers receivers = new Receivers(perUserIntervalNanos);
		Map<Integer, Integer> userOfSession = new HashMap<>();
		try (Connection amqp = this.context.amqp()) {
			List<Map<String, String>> headers = this.context.connectHeaders(target, users, (i) -> "bench-user-" + i,
					(i) -> List.of("bench-" + i));
			BenchContext.Opened opened = this.context.open(this.context.url(target, 0), headers, 100, receivers,
					Duration.ofSeconds(120));
			List<StompSession> all = opened.sessions();
			for (int i = 0; i < all.size(); i++) {
				userOfSession.put(all.get(i).id(), i);
			}
			List<StompSession> connected = opened.connected();
			int subscribeFailures = this.context.subscribeAll(connected,
					(i) -> (target == Target.COURIER) ? "/user/queue/order-updates"
							: "/topic/orders.bench-" + userOfSession.get(connected.get(i).id()),
					Duration.ofSeconds(60));
			Thread.sleep(500);
			long gatewayPid = (target == Target.COURIER) ? this.context.gatewayPid() : -1;
			CpuWindow cpu = new CpuWindow(gatewayPid, this.context.beamPids()).start();
			Channel channel = amqp.createChannel();
			AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").build();
			OpenLoopPublisher publisher = new OpenLoopPublisher();
			long published = publisher.run(events, rate, (k, t) -> {
				int user = (int) (k % users);
				String order = "bench-" + user;
				byte[] body = BenchPayload.orderEvent(order, "bench-user-" + user, k / users, t)
					.getBytes(StandardCharsets.UTF_8);
				if (target == Target.COURIER) {
					channel.basicPublish("courier.orders", "order." + order, props, body);
				}
				else {
					channel.basicPublish("amq.topic", "orders." + order, props, body);
				}
			});
			receivers.drain(published * connected.size() / users);
			cpu.stop();
			receivers.stopRecording();
			receivers.report(result, connected, (s) -> {
				int user = userOfSession.get(s.id());
				return (int) (published / users + ((user < published % users) ? 1 : 0));
			});
			receivers.reportRun(result, publisher, cpu, published, opened, subscribeFailures);
			this.context.closeAll(all);
		}
		return result;
	}

}
