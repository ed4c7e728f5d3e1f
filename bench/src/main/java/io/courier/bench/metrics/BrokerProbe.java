package io.courier.bench.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What RabbitMQ's management API says about the broker: queues and bindings in a vhost
 * (listed live, from the broker's own tables) and the node's memory as RabbitMQ accounts
 * it ({@code mem_used}, refreshed every few seconds). Read-only, as the monitoring user;
 * -1 when the API does not answer.
 */
public final class BrokerProbe {

	private static final Pattern MEM_USED = Pattern.compile("\"mem_used\":(\\d+)");

	private static final Pattern NAME = Pattern.compile("\"name\":\"");

	private static final Pattern SOURCE = Pattern.compile("\"source\":\"");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI base;

	private final String authorization;

	private final String vhost;

	public BrokerProbe(URI base, String user, String password, String vhost) {
		this.base = base;
		this.authorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		this.vhost = URLEncoder.encode(vhost, StandardCharsets.UTF_8);
	}

	/** Queues in the vhost. */
	public long queues() {
		return count(get("/api/queues/" + this.vhost + "?columns=name"), NAME);
	}

	/** Bindings in the vhost, the default exchange's implicit ones left out. */
	public long bindings() {
		String body = get("/api/bindings/" + this.vhost + "?columns=source");
		return (body == null) ? -1 : count(body, SOURCE) - count(body, Pattern.compile("\"source\":\"\""));
	}

	/**
	 * Waits (at most {@code timeout}) until the vhost's queues and bindings stop changing
	 * for two seconds: what an earlier run left (a gateway still removing its bindings,
	 * queues of closed sessions going) is gone.
	 */
	public void awaitSettled(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		long last = -2;
		while (System.nanoTime() < deadline) {
			long now = queues() * 1_000_003L + bindings();
			if (now == last) {
				return;
			}
			last = now;
			Thread.sleep(2_000);
		}
	}

	/** The first node's memory as RabbitMQ accounts it, in bytes. */
	public long memoryUsed() {
		String body = get("/api/nodes?columns=mem_used");
		Matcher used = (body != null) ? MEM_USED.matcher(body) : null;
		return (used != null && used.find()) ? Long.parseLong(used.group(1)) : -1;
	}

	private static long count(String body, Pattern pattern) {
		if (body == null) {
			return -1;
		}
		Matcher matcher = pattern.matcher(body);
		long count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	private String get(String path) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path))
			.header("Authorization", this.authorization)
			.timeout(Duration.ofSeconds(30))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? response.body() : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
