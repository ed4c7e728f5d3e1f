package io.courier.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options ({@code --name value} or {@code --flag}), with the hard caps every
 * load obeys: at most {@value #MAX_SECONDS} s of publishing or holding and
 * {@value #MAX_SESSIONS} sessions per run, loopback hosts only unless
 * {@code --allow-remote}.
 */
final class BenchOptions {

	static final int MAX_SECONDS = 300;

	static final int MAX_SESSIONS = 25_000;

	private static final Set<String> FLAGS = Set.of("allow-remote", "own-order", "history");

	final String scenario;

	private final Map<String, String> values;

	private BenchOptions(String scenario, Map<String, String> values) {
		this.scenario = scenario;
		this.values = values;
	}

	static BenchOptions parse(String... args) {
		if (args.length == 0 || args[0].startsWith("--")) {
			throw new IllegalArgumentException(
					"first argument is the scenario: fanout, connections, connect-storm, order-e2e, sse-fanout");
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("expected --option, got '" + arg + "'");
			}
			String name = arg.substring(2);
			int eq = name.indexOf('=');
			if (eq > 0) {
				values.put(name.substring(0, eq), name.substring(eq + 1));
			}
			else if (FLAGS.contains(name)) {
				values.put(name, "true");
			}
			else {
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("--" + name + " needs a value");
				}
				values.put(name, args[++i]);
			}
		}
		BenchOptions options = new BenchOptions(args[0], values);
		options.checkHosts();
		return options;
	}

	String string(String name, String defaultValue) {
		return this.values.getOrDefault(name, defaultValue);
	}

	boolean flag(String name) {
		return Boolean.parseBoolean(this.values.getOrDefault(name, "false"));
	}

	int integer(String name, int defaultValue, int min, int max) {
		String raw = this.values.get(name);
		int value = (raw != null) ? Integer.parseInt(raw.trim()) : defaultValue;
		if (value < min || value > max) {
			throw new IllegalArgumentException(
					"--" + name + " must be between " + min + " and " + max + ", got " + value);
		}
		return value;
	}

	List<Integer> integers(String name, int defaultValue, int min, int max) {
		String raw = this.values.getOrDefault(name, Integer.toString(defaultValue));
		List<Integer> list = new ArrayList<>();
		for (String part : raw.split(",")) {
			int value = Integer.parseInt(part.trim());
			if (value < min || value > max) {
				throw new IllegalArgumentException(
						"--" + name + " must be between " + min + " and " + max + ", got " + value);
			}
			list.add(value);
		}
		return list;
	}

	/**
	 * Seconds, capped at {@link #MAX_SECONDS}; accepts {@code 30}, {@code 30s},
	 * {@code 2m}.
	 */
	Duration seconds(String name, int defaultSeconds) {
		String raw = this.values.getOrDefault(name, Integer.toString(defaultSeconds)).trim();
		long seconds = raw.endsWith("m") ? Long.parseLong(raw.substring(0, raw.length() - 1)) * 60
				: Long.parseLong(raw.endsWith("s") ? raw.substring(0, raw.length() - 1) : raw);
		if (seconds < 1 || seconds > MAX_SECONDS) {
			throw new IllegalArgumentException("--" + name + " must be 1.." + MAX_SECONDS + " s, got " + raw);
		}
		return Duration.ofSeconds(seconds);
	}

	URI courierUrl() {
		return URI.create(string("courier-url", "ws://127.0.0.1:18080/ws"));
	}

	URI directUrl() {
		return URI.create(string("direct-url", "ws://127.0.0.1:15674/ws"));
	}

	URI amqpUri() {
		return URI.create(string("amqp-uri", "amqp://courier-gateway:courier-gateway@127.0.0.1:5672/courier"));
	}

	/** RabbitMQ's management API, read-only. */
	URI managementUrl() {
		return URI.create(string("management-url", "http://127.0.0.1:15672/"));
	}

	List<Target> targets() {
		String target = string("target", "all");
		if (target.equals("all")) {
			return this.scenario.equals("fanout") ? List.of(Target.COURIER, Target.DIRECT, Target.FLOOR)
					: List.of(Target.COURIER, Target.DIRECT);
		}
		Target one = Target.valueOf(target.toUpperCase().replace('-', '_'));
		if (one == Target.FLOOR && !this.scenario.equals("fanout")) {
			throw new IllegalArgumentException("--target floor is for the fanout scenario only");
		}
		return List.of(one);
	}

	private void checkHosts() {
		if (flag("allow-remote")) {
			return;
		}
		for (String name : List.of("courier-url", "direct-url", "amqp-uri", "management-url")) {
			String raw = this.values.get(name);
			if (raw != null) {
				String host = URI.create(raw).getHost();
				if (!isLoopback(host)) {
					throw new IllegalArgumentException("--" + name + " host '" + host
							+ "' is not loopback; the bench only loads this machine unless --allow-remote is given");
				}
			}
		}
	}

	static boolean isLoopback(String host) {
		if (host == null) {
			return false;
		}
		String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
	}

}
