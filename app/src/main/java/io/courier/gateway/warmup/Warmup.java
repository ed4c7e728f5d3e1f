package io.courier.gateway.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.courier.gateway.node.GatewayProperties;

/**
 * Runs the node's {@link WarmupStep}s once, in their order, on a thread of its own as
 * soon as the application has started (web server listening), and says when it is done:
 * {@link WarmupHealthIndicator} keeps readiness OUT_OF_SERVICE until then; liveness does
 * not wait for it. Bounded by {@code courier.warmup.timeout}: a step past the deadline is
 * skipped, a step that fails is logged and the others still run, and readiness turns UP
 * either way (the warm-up makes a node faster, never unavailable). Records one
 * {@code courier.warmup.duration} timer (tag {@code outcome}: completed, timed-out,
 * failed) and nothing else: the steps' sessions are the node's own, left out of every
 * other meter.
 */
@Component
public class Warmup {

	private static final Log logger = LogFactory.getLog(Warmup.class);

	/**
	 * What one warm-up did: how long it took, its outcome, each step's counts by step
	 * name.
	 */
	public record Result(Duration took, String outcome, Map<String, Map<String, Object>> steps) {
	}

	private final WarmupProperties properties;

	private final List<WarmupStep> steps;

	private final MeterRegistry meters;

	private final String nodeId;

	private volatile @Nullable Result result;

	private volatile @Nullable Thread thread;

	Warmup(WarmupProperties properties, List<WarmupStep> steps, MeterRegistry meters, GatewayProperties gateway) {
		this.properties = properties;
		this.steps = steps;
		this.meters = meters;
		this.nodeId = gateway.nodeId();
	}

	/** What the warm-up did; null while it runs (or before it started). */
	public @Nullable Result result() {
		return this.result;
	}

	@EventListener
	void onStarted(ApplicationStartedEvent event) {
		if (!this.properties.enabled()) {
			this.result = new Result(Duration.ZERO, "disabled", Map.of());
			return;
		}
		Thread thread = new Thread(this::run, "courier-warmup");
		thread.setDaemon(true);
		this.thread = thread;
		thread.start();
	}

	@EventListener
	void onClose(ContextClosedEvent event) {
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
		}
	}

	private void run() {
		long start = System.nanoTime();
		Instant deadline = Instant.now().plus(this.properties.timeout());
		Map<String, Map<String, Object>> done = new LinkedHashMap<>();
		String outcome = "completed";
		for (WarmupStep step : this.steps) {
			if (Thread.currentThread().isInterrupted()) {
				outcome = "interrupted";
				break;
			}
			if (!Instant.now().isBefore(deadline)) {
				done.put(step.name(), Map.of("skipped", "timeout"));
				outcome = "timed-out";
				continue;
			}
			long stepStart = System.nanoTime();
			try {
				Map<String, Object> counts = new LinkedHashMap<>(step.run(deadline));
				counts.put("ms", (System.nanoTime() - stepStart) / 1_000_000);
				done.put(step.name(), counts);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				outcome = "interrupted";
				break;
			}
			catch (Exception ex) {
				logger.warn("Warm-up step " + step.name() + " failed; readiness does not wait for it", ex);
				done.put(step.name(), Map.of("failed", String.valueOf(ex.getMessage())));
				outcome = "failed";
			}
			if (outcome.equals("completed") && !Instant.now().isBefore(deadline)) {
				outcome = "timed-out";
			}
		}
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		Timer.builder("courier.warmup.duration")
			.description("How long the node's warm-up took before readiness turned UP")
			.tag("node", this.nodeId)
			.tag("outcome", outcome)
			.register(this.meters)
			.record(took);
		this.result = new Result(took, outcome, java.util.Collections.unmodifiableMap(done));
		logger.info("Warm-up " + outcome + " in " + took.toMillis() + " ms: " + done);
	}

}
