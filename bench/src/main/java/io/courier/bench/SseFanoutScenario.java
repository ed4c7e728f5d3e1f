package io.courier.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.courier.bench.metrics.ProcessProbe;

/**
 * {@code sse-fanout}: the {@code fanout} load delivered over server-sent events. N
 * clients hold {@code GET /sse?dest=/topic/public.bench} on Courier (each with its own
 * JWT), and the open-loop publisher sends R msg/s over AMQP to {@code amq.topic} key
 * {@code public.bench}, as in {@code fanout}. Courier's path: the topic's history stream,
 * read by one consumer per node, to every SSE client. RabbitMQ has no SSE, so the peer
 * column is the same load over Web-STOMP direct (the {@code fanout} measurement): what a
 * client pays for taking SSE from Courier instead of STOMP from the broker.
 */
final class SseFanoutScenario {

	private final BenchContext context;

	SseFanoutScenario(BenchContext context) {
		this.context = context;
	}

	void run() throws Exception {
		new FanoutScenario(this.context).run("sse-fanout", " (courier: GET /sse; direct: Web-STOMP)", this::run);
	}

	Result run(Target target, int subscribers, int rate, Duration duration, int payload) throws Exception {
		Result result = new Result("sse-fanout", target);
		if (target != Target.COURIER) {
			Result stomp = new FanoutScenario(this.context).run(target, subscribers, rate, duration, payload);
			stomp.metrics.forEach((name, value) -> {
				if (!name.equals("scenario") && !name.equals("target")) {
					result.put(name, value);
				}
			});
			return result.put("transport", "web-stomp");
		}
		result.put("subscribers", subscribers)
			.put("rate", rate)
			.put("duration_s", duration.toSeconds())
			.put("transport", "sse");
		long total = (long) rate * duration.toSeconds();
		Receivers receivers = new Receivers(1_000_000_000L / rate);
		URI url = sseUrl(this.context.options.courierUrl(), FanoutScenario.DESTINATION);
		List<String> tokens = new ArrayList<>(subscribers);
		for (int i = 0; i < subscribers; i++) {
			tokens.add(this.context.minter().mint("bench-sse-" + i, List.of(), Duration.ofHours(1)));
		}
		List<SseStream> streams = new ArrayList<>(subscribers);
		Connection amqp = this.context.amqp();
		try {
			for (String token : tokens) {
				streams.add(SseStream.open(this.context.http, url, token, receivers));
			}
			List<String> connectErrors = new ArrayList<>();
			List<SseStream> ready = new ArrayList<>(subscribers);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			for (SseStream stream : streams) {
				try {
					stream.ready().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
					ready.add(stream);
				}
				catch (Exception ex) {
					if (connectErrors.size() < 5) {
						connectErrors.add("sse stream " + stream.id() + ": " + ex.getMessage());
					}
				}
			}
			long gatewayPid = this.context.gatewayPid();
			CpuWindow cpu = new CpuWindow(gatewayPid, ProcessProbe.beamPid()).start();
			OpenLoopPublisher publisher = new OpenLoopPublisher();
			Channel channel = amqp.createChannel();
			AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("text/plain").build();
			long published = publisher.run(total, rate,
					(seq, t) -> channel.basicPublish("amq.topic", FanoutScenario.ROUTING_KEY, props,
							BenchPayload.fanout(seq, t, payload).getBytes(StandardCharsets.UTF_8)));
			receivers.drain(published * ready.size());
			cpu.stop();
			receivers.stopRecording();
			receivers.report(result, ready.stream().mapToInt(SseStream::id).toArray(), (i) -> (int) published);
			receivers.reportRun(result, publisher, cpu, published, subscribers - ready.size(), connectErrors, 0);
		}
		finally {
			streams.forEach(SseStream::close);
			amqp.close();
		}
		return result;
	}

	/** {@code ws://host:port/ws} to {@code http://host:port/sse?dest=...}. */
	static URI sseUrl(URI courierUrl, String destination) {
		String scheme = courierUrl.getScheme().equals("wss") ? "https" : "http";
		return URI.create(scheme + "://" + courierUrl.getAuthority() + "/sse?dest="
				+ URLEncoder.encode(destination, StandardCharsets.UTF_8));
	}

}
