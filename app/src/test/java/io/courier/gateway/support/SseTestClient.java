package io.courier.gateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A real SSE client on the JDK HTTP client: it parses {@code text/event-stream} as a
 * browser does (id, event, data lines; comments; {@code retry}) and queues each event,
 * with the id the stream had when the event was dispatched.
 */
public final class SseTestClient implements AutoCloseable {

	/**
	 * One dispatched event; {@code id} is the last id seen so far (as EventSource's
	 * lastEventId).
	 */
	public record Event(@Nullable String id, String event, String data) {
	}

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final HttpResponse<InputStream> response;

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final List<String> comments = new ArrayList<>();

	private volatile boolean ended;

	private volatile @Nullable String retry;

	private SseTestClient(HttpResponse<InputStream> response) {
		this.response = response;
		if (response.statusCode() == 200) {
			Thread reader = new Thread(this::read, "sse-test-client");
			reader.setDaemon(true);
			reader.start();
		}
	}

	/** Opens {@code url}; {@code headers} e.g. Authorization, Last-Event-ID, Origin. */
	public static SseTestClient open(String url, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(10));
		headers.forEach(request::header);
		return new SseTestClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
	}

	public static SseTestClient open(String url, String token, @Nullable String lastEventId) throws Exception {
		return (lastEventId != null)
				? open(url, Map.of("Authorization", "Bearer " + token, "Last-Event-ID", lastEventId))
				: open(url, Map.of("Authorization", "Bearer " + token));
	}

	/** {@code <base>/sse?dest=...&dest=...}, each destination URL-encoded. */
	public static String url(String base, String... destinations) {
		StringBuilder url = new StringBuilder(base).append("/sse?");
		for (String destination : destinations) {
			url.append("dest=").append(URLEncoder.encode(destination, StandardCharsets.UTF_8)).append('&');
		}
		return url.substring(0, url.length() - 1);
	}

	public int status() {
		return this.response.statusCode();
	}

	public HttpHeaders headers() {
		return this.response.headers();
	}

	/** The body of a refused request. */
	public String errorBody() throws IOException {
		return new String(this.response.body().readAllBytes(), StandardCharsets.UTF_8);
	}

	public @Nullable Event next(long timeout, TimeUnit unit) throws InterruptedException {
		return this.events.poll(timeout, unit);
	}

	/** The next event, failing if none comes within 10 s. */
	public Event next() throws InterruptedException {
		Event event = next(10, TimeUnit.SECONDS);
		if (event == null) {
			throw new AssertionError("no SSE event within 10 s (stream ended: " + this.ended + ")");
		}
		return event;
	}

	/**
	 * Waits for {@code subscribed}, the first event of a new stream: from there on,
	 * events are delivered.
	 */
	public Event awaitSubscribed() throws InterruptedException {
		Event event = next();
		if (!event.event().equals("subscribed")) {
			throw new AssertionError("expected the subscribed event first, got " + event);
		}
		return event;
	}

	public boolean ended() {
		return this.ended;
	}

	public @Nullable String retry() {
		return this.retry;
	}

	public synchronized List<String> comments() {
		return List.copyOf(this.comments);
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			// closing a dropped stream
		}
	}

	private void read() {
		String id = null;
		String event = "message";
		StringBuilder data = null;
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.isEmpty()) {
					if (data != null) {
						this.events.add(new Event(id, event, data.toString()));
					}
					event = "message";
					data = null;
				}
				else if (line.startsWith(":")) {
					synchronized (this) {
						this.comments.add(line);
					}
				}
				else {
					int colon = line.indexOf(':');
					String field = (colon < 0) ? line : line.substring(0, colon);
					String value = (colon < 0) ? "" : line.substring(colon + 1);
					value = value.startsWith(" ") ? value.substring(1) : value;
					switch (field) {
						case "id" -> id = value;
						case "event" -> event = value;
						case "retry" -> this.retry = value;
						case "data" ->
							data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
						default -> {
						}
					}
				}
			}
		}
		catch (IOException ex) {
			// the stream was closed
		}
		finally {
			this.ended = true;
		}
	}

}
