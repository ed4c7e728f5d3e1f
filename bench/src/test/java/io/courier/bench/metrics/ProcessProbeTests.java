package io.courier.bench.metrics;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessProbeTests {

	@Test
	void cpuTimeIsUtimePlusStimeInMicrosecondsEvenWhenTheCommandNameHasSpacesAndParentheses() {
		String stat = "1234 (java (my app)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 100 0 0";
		assertThat(ProcessProbe.cpuMicrosFromStat(stat, 100)).isEqualTo(3_000_000L);
	}

	@Test
	void tellsJitCompilerThreadsByTheirCutCommandName() {
		assertThat(ProcessProbe.isJitCompilerThread("41 (C2 CompilerThre) S 1 1 1 0 -1 0 0 0 0 0 900 10 0 0")).isTrue();
		assertThat(ProcessProbe.isJitCompilerThread("42 (C1 CompilerThre) S 1 1 1 0 -1 0 0 0 0 0 90 1 0 0")).isTrue();
		assertThat(ProcessProbe.isJitCompilerThread("43 (qtp123-45) S 1 1 1 0 -1 0 0 0 0 0 9 1 0 0")).isFalse();
		assertThat(ProcessProbe.isJitCompilerThread("44 (GC Thread#0) S 1 1 1 0 -1 0 0 0 0 0 9 1 0 0")).isFalse();
	}

	@Test
	void findsThisJvmsCompilerThreads() {
		long pid = ProcessHandle.current().pid();
		assertThat(ProcessProbe.jitCompilerCpuMicros(pid)).isNotEmpty().allSatisfy((tid, micros) -> {
			assertThat(tid).isPositive();
			assertThat(micros).isNotNegative();
		});
		assertThat(ProcessProbe.jitCompilerCpuMicros(-1)).isEmpty();
	}

	@Test
	void countsOnlyTheThreadsWhoseNameIsAccepted() throws Exception {
		long pid = ProcessHandle.current().pid();
		CountDownLatch spun = new CountDownLatch(1);
		// the kernel keeps the first 15 characters of a thread's name
		Thread spinner = new Thread(() -> {
			long end = System.nanoTime() + 200_000_000L;
			while (System.nanoTime() < end) {
				Thread.onSpinWait();
			}
			spun.countDown();
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "probe-spinner-with-a-long-name");
		spinner.start();
		try {
			assertThat(spun.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(ProcessProbe.threadCpuMicros(pid, (name) -> name.equals("probe-spinner-w"))).hasSize(1)
				.allSatisfy((tid, micros) -> assertThat(micros).isGreaterThanOrEqualTo(100_000L));
			assertThat(ProcessProbe.threadCpuMicros(pid, (name) -> name.startsWith("no-such-thread"))).isEmpty();
			assertThat(ProcessProbe.threadCpuMicros(-1, (name) -> true)).isEmpty();
		}
		finally {
			spinner.interrupt();
			spinner.join(5_000);
		}
	}

	@Test
	void readsOwnCpuTimeAndRss() {
		long pid = ProcessHandle.current().pid();
		assertThat(ProcessProbe.cpuMicros(pid)).isPositive();
		assertThat(ProcessProbe.rssKib(pid)).isPositive();
		assertThat(ProcessProbe.cpuMicros(-1)).isEqualTo(-1);
	}

	@Test
	void parsesHeapUsedFromG1HeapInfo() {
		String g1 = """
				12345:
				 garbage-first heap   total 262144K, used 45678K [0x00000000f0000000, 0x0000000100000000)
				  region size 1024K, 3 young (3072K), 0 survivors (0K)
				 Metaspace       used 60000K, committed 61000K, reserved 1114112K
				""";
		assertThat(ProcessProbe.parseHeapUsedKib(g1)).isEqualTo(45678);
	}

	@Test
	void sumsYoungAndOldGenerationsOfParallelHeapInfo() {
		String parallel = """
				 PSYoungGen      total 76288K, used 1310K [0x0, 0x0, 0x0)
				 ParOldGen       total 175104K, used 20000K [0x0, 0x0, 0x0)
				""";
		assertThat(ProcessProbe.parseHeapUsedKib(parallel)).isEqualTo(21310);
	}

}
