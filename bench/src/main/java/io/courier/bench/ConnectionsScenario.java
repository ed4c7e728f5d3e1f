package io.courier.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.courier.bench.metrics.ProcessProbe;
import io.courier.bench.stomp.StompSession;

/**
 * {@code connections}: N idle sessions (CONNECT with 10 s heart-beats both ways, one SUBSCRIBE to
 * {@code /topic/public.idle}) held for T seconds. Reports the connect rate, sessions still alive after the hold,
 * and memory per session: gateway heap after a full GC and RSS, RabbitMQ's RSS, each as (after - before) / N.
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
		Rounds.run(this.context, "connections " + sessions + " idle sessions held " + hold.toSeconds() + " s",
				(target) -> run(target, sessions, hold, concurrency), null);
	}

	Result run(Target target, int count, Duration hold, int concurrency) throws Exception {
		Result result = new Result("connections", target);
		result.put("sessions", count).put("hold_s", hold.toSeconds());
		long gatewayPid = (target == Target.COURIER) ? this.context.gatewayPid() : -1;
		long beamPid = ProcessProbe.beamPid();
		long heapBefore = ProcessProbe.heapUsedAfterGcKib(gatewayPid);
		long gwRssBefore = ProcessProbe.rssKib(gatewayPid);
		long beamRssBefore = ProcessProbe.rssKib(beamPid);
		Receivers receivers = new Receivers(1_000_000_000L);
		List<Map<String, String>> headers = this.context.connectHeaders(target, count, (i) -> "bench-idle-" + i,
				(i) -> List.of());
		BenchContext.Opened opened = this.context.open(this.context.url(target, 0), headers, concurrency, receivers,
				Duration.ofSeconds(240));
		List<StompSession> connected = opened.connected();
		int subscribeFailures = this.context.subscribeAll(connected, (i) -> "/topic/public.idle", Duration.ofSeconds(120));
		double connectSeconds = opened.elapsedNanos() / 1e9;
		CpuWindow cpu = new CpuWindow(gatewayPid, beamPid).start();
		Thread.sleep(hold.toMillis());
		cpu.stop();
		long alive = connected.stream().filter(StompSession::isOpen).count();
		long heapAfter = ProcessProbe.heapUsedAfterGcKib(gatewayPid);
		long gwRssAfter = ProcessProbe.rssKib(gatewayPid);
		long beamRssAfter = ProcessProbe.rssKib(beamPid);
		int n = Math.max(1, connected.size());
		result.put("connected", connected.size())
			.put("delivered", alive)
			.put("connects_per_s", connected.size() / connectSeconds)
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

	private static Double perSession(long before, long after, int sessions) {
		return (before < 0 || after < 0) ? null : (double) (after - before) / sessions;
	}

}
