package io.courier.bench;

/**
 * {@code java -jar courier-bench.jar <scenario> [options]}: runs, prints, exits. A
 * watchdog ends the process after 40 minutes whatever happens, so no load outlives its
 * invocation.
 */
public final class BenchApplication {

	private static final long WATCHDOG_MILLIS = 40 * 60 * 1000L;

	private BenchApplication() {
	}

	public static void main(String[] args) {
		Thread watchdog = new Thread(() -> {
			try {
				Thread.sleep(WATCHDOG_MILLIS);
				System.err.println("bench: watchdog: still running after 40 minutes, exiting");
				Runtime.getRuntime().halt(3);
			}
			catch (InterruptedException ex) {
				// normal end
			}
		}, "bench-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		int code = 0;
		try {
			new Bench(System.out).run(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("bench: " + ex.getMessage());
			System.err.println(Bench.USAGE);
			code = 2;
		}
		catch (Exception ex) {
			System.err.println("bench: failed: " + ex);
			ex.printStackTrace();
			code = 1;
		}
		System.out.flush();
		System.exit(code);
	}

}
