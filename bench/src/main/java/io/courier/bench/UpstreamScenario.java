package io.courier.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.courier.bench.metrics.ProcessProbe;
import io.courier.bench.stomp.StompFrame;
import io.courier.bench.stomp.StompSession;

/**
 * {@code upstream}: request/reply through a backend over AMQP. N sessions send E requests
 * in total at R/s (round-robin over the sessions, open loop); a backend in this process
 * consumes them from the queue {@code bench.requests} and publishes each body back to the
 * reply address; the round trip (client SEND to the reply's MESSAGE) is the latency.
 *
 * <p>
 * Courier: SEND {@code /app/bench.rpc} with {@code reply-to: /user/queue/replies}; the
 * gateway publishes it to {@code courier.inbound} (key {@code bench.rpc}, the queue is
 * bound with {@code bench.#}), confirmed and mandatory, and the backend answers at
 * {@code courier-reply-exchange}/{@code courier-reply-key}: the sender's sessions get it
 * through the node queue. Direct: SEND {@code /amq/queue/bench.requests} with
 * {@code reply-to: /temp-queue/replies}, RabbitMQ's own STOMP request/reply (a temporary
 * queue per session), the backend answers to the default exchange with the AMQP
 * {@code reply_to}. Both log the backend in as {@code courier-bench}; the direct clients
 * too.
 */
final class UpstreamScenario {

	static final String QUEUE = "bench.requests";

	private final BenchContext context;

	UpstreamScenario(BenchContext context) {
		this.context = context;
	}

	void run() throws Exception {
		BenchOptions options = this.context.options;
		int users = options.integer("users", 50, 1, BenchOptions.MAX_SESSIONS);
		int rate = options.integer("rate", 200, 1, 100_000);
		int requests = options.integer("requests", 2000, 1, rate * BenchOptions.MAX_SECONDS);
		// unreported requests first, once per target, so the measured run does not time
		// the gateway's JIT
		int warmup = options.integer("warmup", 0, 0, rate * BenchOptions.MAX_SECONDS);
		Rounds.run(this.context,
				"upstream " + users + " sessions, " + requests + " requests at " + rate
						+ "/s (courier: /app/bench.rpc -> courier.inbound -> backend -> /user/queue/replies; direct: "
						+ "/amq/queue/bench.requests -> backend -> /temp-queue/replies)"
						+ ((warmup > 0) ? ", after " + warmup + " warm-up requests" : ""),
				(target) -> run(target, users, requests, rate),
				(warmup > 0) ? (target) -> run(target, users, warmup, rate) : null);
	}

	Result run(Target target, int users, int requests, int rate) throws Exception {
		Result result = new Result("upstream", target);
		result.put("users", users).put("requests", requests).put("rate", rate);
		result.put("path",
				(target == Target.COURIER) ? "/app/bench.rpc -> courier.inbound -> backend -> /user/queue/replies"
						: "/amq/queue/bench.requests -> backend -> /temp-queue/replies");
		long perSessionIntervalNanos = (long) (1_000_000_000L * (double) users / rate);
		Receivers receivers = new Receivers(perSessionIntervalNanos);
		try (Connection backend = backendConnection()) {
			Channel channel = backend.createChannel();
			channel.queueDeclare(QUEUE, false, false, false, null);
			channel.queuePurge(QUEUE);
			if (target == Target.COURIER) {
				channel.queueBind(QUEUE, "courier.inbound", "bench.#");
			}
			channel.basicConsume(QUEUE, true, new Backend(channel));

			List<Map<String, String>> headers = this.context.connectHeaders(target, users, (i) -> "bench-user-" + i,
					(i) -> List.of());
			if (target == Target.DIRECT) {
				headers = headers.stream()
					.map((h) -> Map.of("login", "courier-bench", "passcode", "courier-bench", "host",
							h.getOrDefault("host", "courier")))
					.toList();
			}
			BenchContext.Opened opened = this.context.open(this.context.url(target, 0), headers, 100, receivers,
					Duration.ofSeconds(120));
			List<StompSession> connected = opened.connected();
			int subscribeFailures = (target == Target.COURIER)
					? this.context.subscribeAll(connected, (i) -> "/user/queue/replies", Duration.ofSeconds(60)) : 0;
			Thread.sleep(500);
			long gatewayPid = (target == Target.COURIER) ? this.context.gatewayPid() : -1;
			CpuWindow cpu = new CpuWindow(gatewayPid, ProcessProbe.beamPid()).start();
			String destination = (target == Target.COURIER) ? "/app/bench.rpc" : "/amq/queue/" + QUEUE;
			String replyTo = (target == Target.COURIER) ? "/user/queue/replies" : "/temp-queue/replies";
			int sessions = connected.size();
			OpenLoopPublisher publisher = new OpenLoopPublisher();
			long published = (sessions == 0) ? 0 : publisher.run(requests, rate, (k, t) -> {
				StompSession session = connected.get((int) (k % sessions));
				session.send(StompFrame
					.of("SEND", "destination", destination, "reply-to", replyTo, "content-type", "application/json")
					.withBody(BenchPayload.fanout(k / sessions, t, 64)));
			});
			receivers.drain(published);
			cpu.stop();
			receivers.stopRecording();
			long perSession = (sessions == 0) ? 0 : published / sessions;
			long extra = (sessions == 0) ? 0 : published % sessions;
			int[] index = { 0 };
			java.util.Map<Integer, Integer> position = new java.util.HashMap<>();
			for (StompSession session : connected) {
				position.put(session.id(), index[0]++);
			}
			receivers.report(result, connected, (s) -> (int) (perSession + ((position.get(s.id()) < extra) ? 1 : 0)));
			receivers.reportRun(result, publisher, cpu, published, opened, subscribeFailures);
			this.context.closeAll(opened.sessions());
			if (target == Target.COURIER) {
				channel.queueUnbind(QUEUE, "courier.inbound", "bench.#");
			}
		}
		return result;
	}

	/**
	 * The backend's own connection, as {@code courier-bench} on the vhost of
	 * {@code --amqp-uri}.
	 */
	private Connection backendConnection() throws Exception {
		URI uri = this.context.options.amqpUri();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(uri);
		factory.setUsername(this.context.options.string("backend-user", "courier-bench"));
		factory.setPassword(this.context.options.string("backend-password", "courier-bench"));
		return factory.newConnection("courier-bench-backend");
	}

	/** Answers each request with its own body, at the address the request names. */
	private static final class Backend extends DefaultConsumer {

		Backend(Channel channel) {
			super(channel);
		}

		@Override
		public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
				throws java.io.IOException {
			Map<String, Object> headers = properties.getHeaders();
			Object exchange = (headers != null) ? headers.get("courier-reply-exchange") : null;
			Object key = (headers != null) ? headers.get("courier-reply-key") : null;
			AMQP.BasicProperties reply = new AMQP.BasicProperties.Builder().contentType("application/json")
				.correlationId(properties.getCorrelationId())
				.build();
			if (exchange != null && key != null) {
				getChannel().basicPublish(exchange.toString(), key.toString(), reply, body);
			}
			else if (properties.getReplyTo() != null) {
				getChannel().basicPublish("", properties.getReplyTo(), reply, body);
			}
		}

	}

}
