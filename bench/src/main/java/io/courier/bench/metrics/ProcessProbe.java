package io.courier.bench.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what Linux and the JDK say about a process: CPU time (utime + stime from
 * {@code /proc/<pid>/stat}, in clock ticks converted with {@code getconf CLK_TCK}; per
 * thread, such as the JIT compiler's, from {@code /proc/<pid>/task}), resident memory
 * ({@code VmRSS} in {@code /proc/<pid>/status}) and, for a JVM, heap used after a full GC
 * ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}). Also finds pids: the listener
 * of a TCP port ({@code ss -ltnp}) and RabbitMQ's {@code beam.smp} ({@code pgrep}).
 */
public final class ProcessProbe {

	private static final Pattern SS_PID = Pattern.compile("pid=(\\d+)");

	private static final Pattern HEAP_USED = Pattern
		.compile("(?m)^\\s*\\S.*?heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

	private static volatile long clockTicks = -1;

	private ProcessProbe() {
	}

	public static long clockTicksPerSecond() {
		if (clockTicks < 0) {
			long ticks = 100;
			try {
				String out = run(5, "getconf", "CLK_TCK").trim();
				ticks = Long.parseLong(out);
			}
			catch (RuntimeException ex) {
				// keep the Linux default
			}
			clockTicks = ticks;
		}
		return clockTicks;
	}

	/**
	 * utime + stime of the process in microseconds, or -1 when the process is not
	 * readable.
	 */
	public static long cpuMicros(long pid) {
		if (pid <= 0) {
			return -1;
		}
		try {
			return cpuMicrosFromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")),
					clockTicksPerSecond());
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/**
	 * utime + stime in microseconds of each HotSpot JIT compiler thread of the process
	 * ({@code C1 CompilerThread*}, {@code C2 CompilerThread*}), by thread id; empty when
	 * not readable. A compiler thread that exits takes its time with it (HotSpot may stop
	 * idle ones), so a difference of two samples can only undercount the JIT.
	 */
	public static Map<Long, Long> jitCompilerCpuMicros(long pid) {
		return threadCpuMicros(pid, ProcessProbe::isJitCompilerName);
	}

	/**
	 * utime + stime in microseconds of each thread of the process whose name (as the
	 * kernel keeps it: cut at 15 characters) {@code name} accepts, by thread id; empty
	 * when not readable.
	 */
	public static Map<Long, Long> threadCpuMicros(long pid, Predicate<String> name) {
		Map<Long, Long> byThread = new HashMap<>();
		if (pid <= 0) {
			return byThread;
		}
		long ticks = clockTicksPerSecond();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					if (name.test(threadName(stat))) {
						byThread.put(Long.parseLong(task.getFileName().toString()), cpuMicrosFromStat(stat, ticks));
					}
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended between listing and reading
				}
			}
		}
		catch (IOException ex) {
			// not readable: no figure
		}
		return byThread;
	}

	/**
	 * Whether a {@code /proc/<pid>/task/<tid>/stat} line is a HotSpot JIT compiler
	 * thread's (comm cut at 15).
	 */
	public static boolean isJitCompilerThread(String stat) {
		return isJitCompilerName(threadName(stat));
	}

	private static boolean isJitCompilerName(String comm) {
		return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
	}

	/**
	 * The command name of a {@code /proc/<pid>/task/<tid>/stat} line (between the first
	 * '(' and the last ')').
	 */
	static String threadName(String stat) {
		int open = stat.indexOf('(');
		int close = stat.lastIndexOf(')');
		return (open < 0 || close < open) ? "" : stat.substring(open + 1, close);
	}

	/**
	 * Parses a {@code /proc/<pid>/stat} line: fields 14 (utime) and 15 (stime), counted
	 * after the comm's ')'.
	 */
	public static long cpuMicrosFromStat(String stat, long ticksPerSecond) {
		String afterComm = stat.substring(stat.lastIndexOf(')') + 2);
		String[] fields = afterComm.trim().split("\\s+");
		// afterComm starts at field 3 (state): utime is field 14 -> index 11, stime index
		// 12
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return ticks * 1_000_000L / ticksPerSecond;
	}

	/** Resident set size in KiB, or -1. */
	public static long rssKib(long pid) {
		if (pid <= 0) {
			return -1;
		}
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// gone
		}
		return -1;
	}

	/** Heap used after a full GC, in KiB, via jcmd; -1 when jcmd cannot attach. */
	public static long heapUsedAfterGcKib(long pid) {
		if (pid <= 0) {
			return -1;
		}
		String jcmd = jcmd();
		try {
			run(60, jcmd, Long.toString(pid), "GC.run");
			return parseHeapUsedKib(run(30, jcmd, Long.toString(pid), "GC.heap_info"));
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * The {@code used NNNK} of the heap line of {@code GC.heap_info} (G1, Parallel,
	 * Serial print one).
	 */
	public static long parseHeapUsedKib(String heapInfo) {
		Matcher m = HEAP_USED.matcher(heapInfo);
		if (m.find()) {
			return Long.parseLong(m.group(2));
		}
		// Parallel/Serial: "PSYoungGen total ..., used ...K" + "ParOldGen ... used ...K"
		Matcher any = Pattern.compile("total\\s+\\d+K,\\s+used\\s+(\\d+)K").matcher(heapInfo);
		long sum = 0;
		boolean found = false;
		while (any.find()) {
			sum += Long.parseLong(any.group(1));
			found = true;
		}
		return found ? sum : -1;
	}

	/**
	 * The pid listening on 127.0.0.1:port (any address), from {@code ss -ltnp}; -1 if
	 * none.
	 */
	public static long listenerPid(int port) {
		try {
			String out = run(10, "ss", "-ltnpH", "sport = :" + port);
			Matcher m = SS_PID.matcher(out);
			return m.find() ? Long.parseLong(m.group(1)) : -1;
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Java processes listening on TCP ports other than the given one (other gateways on
	 * this machine).
	 */
	public static List<String> otherJavaListeners(int exceptPort) {
		List<String> found = new ArrayList<>();
		try {
			for (String line : run(10, "ss", "-ltnpH").split("\n")) {
				if (line.contains("\"java\"")) {
					String[] cols = line.trim().split("\\s+");
					String local = (cols.length > 3) ? cols[3] : line;
					if (!local.endsWith(":" + exceptPort)) {
						Matcher m = SS_PID.matcher(line);
						found.add(local + (m.find() ? " (pid " + m.group(1) + ")" : ""));
					}
				}
			}
		}
		catch (RuntimeException ex) {
			// ss missing: nothing to say
		}
		return found;
	}

	/** RabbitMQ's Erlang VM, or -1. */
	public static long beamPid() {
		try {
			String out = run(10, "pgrep", "-o", "beam.smp").trim();
			return out.isEmpty() ? -1 : Long.parseLong(out.split("\\s+")[0]);
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	private static String jcmd() {
		Path inHome = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		return Files.isExecutable(inHome) ? inHome.toString() : "jcmd";
	}

	static String run(int timeoutSeconds, String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] out = process.getInputStream().readAllBytes();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " timed out");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue());
			}
			return new String(out);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
