package io.courier.gateway.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The warm-up's last step: waits, within the deadline, until the JIT compiler has caught
 * up with what the other steps made hot (its compilation time grew by less than a tenth
 * of the time waited, twice in a row), so that the first clients do not pay for the
 * compile queue the warm-up left behind. Measured with the JVM's
 * {@link CompilationMXBean}; does nothing where the JVM does not report compilation time.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class CompilerSettle implements WarmupStep {

	private static final long INTERVAL_MILLIS = 250;

	@Override
	public String name() {
		return "jit";
	}

	@Override
	public Map<String, Object> run(Instant deadline) throws InterruptedException {
		Map<String, Object> counts = new LinkedHashMap<>();
		CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
		if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
			counts.put("skipped", "no compilation time from this JVM");
			return counts;
		}
		long start = jit.getTotalCompilationTime();
		boolean settled = awaitQuiet(jit, deadline);
		counts.put("compileMs", jit.getTotalCompilationTime() - start);
		counts.put("settled", settled);
		return counts;
	}

	/**
	 * Waits, within the deadline, until {@code jit}'s compilation time grew by less than
	 * a tenth of the time waited twice in a row; whether it did.
	 */
	static boolean awaitQuiet(CompilationMXBean jit, Instant deadline) throws InterruptedException {
		long previous = jit.getTotalCompilationTime();
		int quiet = 0;
		while (quiet < 2 && Instant.now().plusMillis(INTERVAL_MILLIS).isBefore(deadline)) {
			Thread.sleep(INTERVAL_MILLIS);
			long now = jit.getTotalCompilationTime();
			quiet = (now - previous < INTERVAL_MILLIS / 10) ? quiet + 1 : 0;
			previous = now;
		}
		return quiet >= 2;
	}

}
