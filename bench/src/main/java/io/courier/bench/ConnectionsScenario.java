package io.courier.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import io.courier.bench.metrics.BrokerProbe;
import io.courier.bench.metrics.ProcessProbe;
import io.courier.bench.stomp.StompSession;

/**
 * {@code connections}: N idle sessions (CONNECT with 10 s heart-beats both ways, one
 * SUBSCRIBE to {@code /topic/public.idle}) held for T seconds. Reports the connect rate,
 * sessions still alive after the hold, and memory per session: gateway heap after a full
 * GC and RSS, RabbitMQ's RSS, each as (after - before) / N.
 *
 * <p>
 * With {@code --own-order}, the sessions are the order page's: each its own user, with a
 * token owning its own order, subscribed to {@code /topic/orders.<id>} and to the user's
 * order updates ({@code /user/queue/order-updates} on Courier; the same key on
 * {@code courier.user}, {@code /exchange/courier.user/queue.order-updates.u.<user>}, on
 * Web-STOMP direct). Reported too: RabbitMQ's queues, bindings and {@code mem_used} per
 * session, from its management API ({@code --management-url}, as
 * {@code --management-user}).
 */
final class ConnectionsScenario {

	private final BenchContext context;

	ConnectionsScenario(BenchContext context) {
		this.context = context;
	}

	void run() throws Exception {
		BenchOptions options = this.context.options;
		int sessions = options.integer("sessions", 1000, 1, BenchOptions.MAX_SESSIONS);
		Duration hold = options.seconds("hold", 30);
		int concurrency = options.integer("concurrency", 100, 1, 5000);
		boolean ownOrder = options.flag("own-order");
		Rounds.run(
				this.context, "connections " + sessions + (ownOrder ? " order-page" : " idle") + " sessions held "
						+ hold.toSeconds() + " s",
				(target) -> run(target, sessions, hold, concurrency, ownOrder), null);
	}

	Result run(Target target, int count, Duration hold, int concurrency, boolean ownOrder) throws Exception {
		Result result = new Result(ownOrder ? "connections-own-order" : "connections", target);
		result.put("sessions", count).put("hold_s", hold.toSeconds());
		BrokerProbe broker = this.context.brokerProbe();
		broker.awaitSettled(Duration.ofSeconds(90));
		long queuesBefore = broker.queues();
		long bindingsBefore = broker.bindings();
		long brokerMemoryBefore = broker.memoryUsed();
		String run = Long.toHexString(System.nanoTime());
		long gatewayPid = (target == Target.COURIER) ? this.context.gatewayPid() : -1;
		long beamPid = ProcessProbe.beamPid();
		long heapBefore = ProcessProbe.heapUsedAfterGcKib(gatewayPid);
		long gwRssBefore = ProcessProbe.rssKib(gatewayPid);
		long beamRssBefore = ProcessProbe.rssKib(beamPid);
		Receivers receivers = new Receivers(1_000_000_000L);
		IntFunction<String> user = ownOrder ? (i) -> "bench-order-" + run + "-" + i : (i) -> "bench-idle-" + i;
		IntFunction<String> order = (i) -> "b" + run + "x" + i;
		List<Map<String, String>> headers = this.context.connectHeaders(target, count, user,
				ownOrder ? (i) -> List.of(order.apply(i)) : (i) -> List.of());
		BenchContext.Opened opened = this.context.open(this.context.url(target, 0), headers, concurrency, receivers,
				Duration.ofSeconds(240));
		List<StompSession> connected = opened.connected();
		int subscribeFailures;
		long subscribeStart = System.nanoTime();
		if (ownOrder) {
			subscribeFailures = this.context.subscribeAll(connected, (i) -> "/topic/orders." + order.apply(i),
					Duration.ofSeconds(120));
			subscribeFailures += this.context.subscribeAll(connected,
					(i) -> (target == Target.COURIER) ? "/user/queue/order-updates"
							: "/exchange/courier.user/queue.order-updates.u." + userKey(user.apply(i)),
					Duration.ofSeconds(120));
		}
		else {
			subscribeFailures = this.context.subscribeAll(connected, (i) -> "/topic/public.idle",
					Duration.ofSeconds(120));
		}
		double subscribeSeconds = (System.nanoTime() - subscribeStart) / 1e9;
		double connectSeconds = opened.elapsedNanos() / 1e9;
		CpuWindow cpu = new CpuWindow(gatewayPid, beamPid).start();
		Thread.sleep(hold.toMillis());
		cpu.stop();
		long alive = connected.stream().filter(StompSession::isOpen).count();
		long heapAfter = ProcessProbe.heapUsedAfterGcKib(gatewayPid);
		long gwRssAfter = ProcessProbe.rssKib(gatewayPid);
		long beamRssAfter = ProcessProbe.rssKib(beamPid);
		int n = Math.max(1, connected.size());
		result.put("broker_queues_per_session", perSession(queuesBefore, broker.queues(), n))
			.put("broker_bindings_per_session", perSession(bindingsBefore, broker.bindings(), n))
			.put("broker_mem_used_kib_per_session",
					perSession(brokerMemoryBefore / 1024, broker.memoryUsed() / 1024, n));
		result.put("connected", connected.size())
			.put("delivered", alive)
			.put("connects_per_s", connected.size() / connectSeconds)
			.put("subscribes_per_s", (ownOrder ? 2 : 1) * connected.size() / subscribeSeconds)
			.put("gateway_heap_after_gc_kib_per_session", perSession(heapBefore, heapAfter, n))
			.put("gateway_rss_kib_per_session", perSession(gwRssBefore, gwRssAfter, n))
			.put("beam_rss_kib_per_session", perSession(beamRssBefore, beamRssAfter, n))
			.put("gateway_heap_after_gc_mib", (heapAfter < 0) ? null : heapAfter / 1024.0)
			.put("gateway_rss_mib", (gwRssAfter < 0) ? null : gwRssAfter / 1024.0)
			.put("beam_rss_mib", (beamRssAfter < 0) ? null : beamRssAfter / 1024.0);
		cpu.report(result, "session_during_hold", alive);
		long errors = opened.failed() + subscribeFailures + (connected.size() - alive);
		result.put("connect_failures", opened.failed())
			.put("subscribe_failures", subscribeFailures)
			.put("closed_during_hold", connected.size() - alive)
			.put("errors", errors);
		List<String> samples = new java.util.ArrayList<>(opened.errors());
		samples.addAll(receivers.errorSamples);
		if (!samples.isEmpty()) {
			result.put("error_samples", samples);
		}
		this.context.closeAll(opened.sessions());
		return result;
	}

	private static String userKey(String user) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(user.getBytes(StandardCharsets.UTF_8));
	}

	private static Double perSession(long before, long after, int sessions) {
		return (before < 0 || after < 0) ? null : (double) (after - before) / sessions;
	}

}
