package io.courier.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run of the {@code chaos} scenario in this JVM, on the gateway jar the reactor
 * built, and its per-transport RESULT lines.
 */
final class ChaosRun {

	private static final Pattern TRANSPORT = Pattern.compile("RESULT \\{\"scenario\":\"chaos\",\"transport\":\"(\\w+)\""
			+ ",\"clients\":\\d+,\"accepted\":(\\d+),\"not_accepted\":\\d+,\"lost\":(\\d+),\"duplicated\":\\d+"
			+ ",\"out_of_order\":(\\d+),\"resets\":\\d+,\"drops\":\\d+,\"longest_reconnect_ms\":(\\d+)\\}");

	/** What one transport's clients got. */
	record Transport(String name, long accepted, long lost, long outOfOrder, long longestReconnectMs) {
	}

	final String output;

	final List<Transport> transports = new ArrayList<>();

	private ChaosRun(String output) {
		this.output = output;
		Matcher m = TRANSPORT.matcher(output);
		while (m.find()) {
			this.transports.add(new Transport(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
					Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
		}
	}

	/**
	 * Runs {@code chaos} with these options (jar and key dir added), printing its output.
	 */
	static ChaosRun run(String... options) throws Exception {
		Path jar = Path
			.of(System.getProperty("courier.gateway.jar", "../app/target/courier-gateway-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the gateway jar (the reactor builds app before bench)").exists();
		Path keys = Files.createTempDirectory("courier-chaos-keys");
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
		List<String> args = new ArrayList<>(
				List.of("chaos", "--gateway-jar", jar.toString(), "--key-dir", keys.toString()));
		args.addAll(List.of(options));
		new Bench(out).run(args.toArray(String[]::new));
		String output = captured.toString(StandardCharsets.UTF_8);
		System.out.println(output);
		return new ChaosRun(output);
	}

	/** Every accepted event reached its clients in order, on both transports. */
	void assertNothingLostOrReordered() {
		assertThat(this.transports).as(this.output).hasSize(2);
		for (Transport transport : this.transports) {
			assertThat(transport.accepted()).as(transport.name() + " accepted\n" + this.output).isPositive();
			assertThat(transport.lost()).as(transport.name() + " lost\n" + this.output).isZero();
			assertThat(transport.outOfOrder()).as(transport.name() + " out of order\n" + this.output).isZero();
		}
	}

}
