package io.courier.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The real local RabbitMQ as tests see it from outside: its management API (read-only
 * monitoring user from {@code rabbitmq/definitions.json}), AMQP as the gateway user, and
 * {@code rabbitmqctl} to stop and start the broker application.
 */
public final class RabbitBroker {

	private static final String MANAGEMENT = "http://127.0.0.1:15672/api";

	/**
	 * The test vhost; {@code COURIER_TEST_VHOST} overrides it as in
	 * {@code config/application.yml}.
	 */
	private static final String VHOST = System.getenv().getOrDefault("COURIER_TEST_VHOST", "courier-test");

	private static final HttpClient http = HttpClient.newHttpClient();

	private RabbitBroker() {
	}

	/** The test vhost's name. */
	public static String vhost() {
		return VHOST;
	}

	/** Names of the queues in the courier vhost. */
	public static List<String> queueNames() {
		JsonNode queues = get("/queues/" + VHOST + "?columns=name");
		List<String> names = new ArrayList<>();
		queues.forEach((queue) -> names.add(queue.get("name").asString()));
		return names;
	}

	/**
	 * STOMP connections (any user) open in the test vhost, as the management API lists
	 * them.
	 */
	public static int stompConnections() {
		int count = 0;
		for (JsonNode connection : get("/vhosts/" + VHOST + "/connections?columns=protocol")) {
			if (connection.path("protocol").asString("").startsWith("STOMP")) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Queues bound to {@code amq.topic} with {@code routingKey}: one per broker
	 * subscription to that topic.
	 */
	public static int topicBindings(String routingKey) {
		int count = 0;
		for (JsonNode binding : get("/exchanges/" + VHOST + "/amq.topic/bindings/source")) {
			if (routingKey.equals(binding.path("routing_key").asString(""))) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Bindings of a queue, as {@code exchange/key} (the default exchange's own binding
	 * left out).
	 */
	public static List<String> bindingsOf(String queue) {
		List<String> bindings = new ArrayList<>();
		for (JsonNode binding : get("/queues/" + VHOST + "/"
				+ URLEncoder.encode(queue, StandardCharsets.UTF_8).replace("+", "%20") + "/bindings")) {
			String source = binding.path("source").asString("");
			if (!source.isEmpty()) {
				bindings.add(source + "/" + binding.path("routing_key").asString(""));
			}
		}
		return bindings;
	}

	/**
	 * The client ports of the AMQP connections that consume {@code queue} (each
	 * consumer's channel's peer port, as the management API lists it): an application's
	 * {@code Connection.getLocalPort()} names its own.
	 */
	public static List<Integer> consumerPorts(String queue) {
		List<Integer> ports = new ArrayList<>();
		JsonNode details = get(
				"/queues/" + VHOST + "/" + URLEncoder.encode(queue, StandardCharsets.UTF_8).replace("+", "%20"))
			.path("consumer_details");
		details.forEach((consumer) -> ports.add(consumer.path("channel_details").path("peer_port").asInt(-1)));
		return ports;
	}

	/** Queues whose name starts with {@code prefix}. */
	public static List<String> queuesStartingWith(String prefix) {
		return queueNames().stream().filter((name) -> name.startsWith(prefix)).toList();
	}

	/**
	 * An AMQP connection factory for the test vhost, as the gateway user; close it when
	 * done.
	 */
	public static CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
		factory.setUsername("courier-gateway");
		factory.setPassword("courier-gateway");
		factory.setVirtualHost(VHOST);
		return factory;
	}

	/** Deletes a queue (or stream) of the test vhost if it exists. */
	public static void deleteQueue(String name) {
		CachingConnectionFactory factory = connectionFactory();
		try {
			new RabbitAdmin(factory).deleteQueue(name);
		}
		finally {
			factory.destroy();
		}
	}

	/**
	 * A queue of {@code vhost} as the management API shows it (its {@code type},
	 * {@code arguments}, {@code members}, …).
	 */
	public static JsonNode queue(String vhost, String name) {
		return get("/queues/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8) + "/"
				+ URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
	}

	/**
	 * Creates {@code vhost} afresh (deleted first if it exists), each user with the
	 * permissions it has on the test vhost: a gateway started on it behaves as on a
	 * broker that {@code rabbitmq/setup.sh} has just set up, with no queue yet.
	 */
	public static void createVhostLikeTestVhost(String vhost) {
		deleteVhost(vhost);
		rabbitmqctl("add_vhost", vhost);
		String permissions = run(true, "-q", "list_permissions", "-p", VHOST, "--formatter", "json");
		for (JsonNode permission : JsonMapper.builder().build().readTree(permissions)) {
			rabbitmqctl("set_permissions", "-p", vhost, permission.get("user").asString(),
					permission.get("configure").asString(), permission.get("write").asString(),
					permission.get("read").asString());
		}
	}

	/** Deletes {@code vhost} with all it holds, if it exists. */
	public static void deleteVhost(String vhost) {
		String output = run("delete_vhost", vhost);
		if (output != null && !output.contains("does not exist") && !output.contains("no_such_vhost")) {
			throw new IllegalStateException("rabbitmqctl delete_vhost " + vhost + " failed: " + output);
		}
	}

	/** As {@link #connectionFactory()}, for another vhost. */
	public static CachingConnectionFactory connectionFactory(String vhost) {
		CachingConnectionFactory factory = connectionFactory();
		factory.setVirtualHost(vhost);
		return factory;
	}

	public static void stopApp() {
		rabbitmqctl("stop_app");
	}

	public static void startApp() {
		rabbitmqctl("start_app");
		rabbitmqctl("await_startup");
	}

	/**
	 * A broker user with every permission on the test vhost (for a client that talks to
	 * RabbitMQ directly, as Courier's peer in a comparison); made if absent.
	 */
	public static void ensureUser(String name, String password) {
		String output = run("add_user", name, password);
		if (output != null && !output.contains("already exists")) {
			throw new IllegalStateException("rabbitmqctl add_user " + name + " failed: " + output);
		}
		rabbitmqctl("set_permissions", "-p", vhost(), name, ".*", ".*", ".*");
	}

	private static void rabbitmqctl(String... arguments) {
		String output = run(arguments);
		if (output != null) {
			throw new IllegalStateException("rabbitmqctl " + String.join(" ", arguments) + " failed: " + output);
		}
	}

	/** Runs rabbitmqctl; null when it succeeded, else what it printed. */
	private static @Nullable String run(String... arguments) {
		String output = run(false, arguments);
		return output.isEmpty() ? null : output;
	}

	/**
	 * Runs rabbitmqctl: what it printed when it succeeded and {@code output} is asked
	 * for, else the empty string; throws when it failed and {@code output} is asked for,
	 * else returns what it printed.
	 */
	private static String run(boolean output, String... arguments) {
		List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl"));
		command.addAll(List.of(arguments));
		try {
			ProcessBuilder builder = new ProcessBuilder(command);
			if (output) {
				builder.redirectError(ProcessBuilder.Redirect.DISCARD);
			}
			else {
				builder.redirectErrorStream(true);
			}
			Process process = builder.start();
			String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			boolean failed = !process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0;
			if (output && failed) {
				throw new IllegalStateException("rabbitmqctl " + String.join(" ", arguments) + " failed: " + printed);
			}
			if (failed && printed.isBlank()) {
				return "failed without output";
			}
			return (output || failed) ? printed : "";
		}
		catch (IOException ex) {
			throw new IllegalStateException("rabbitmqctl not runnable; run rabbitmq/setup.sh first", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode get(String path) {
		String credentials = Base64.getEncoder().encodeToString("courier-admin:courier-admin".getBytes());
		HttpRequest request = HttpRequest.newBuilder(URI.create(MANAGEMENT + path))
			.header("Authorization", "Basic " + credentials)
			.build();
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
			}
			return JsonMapper.builder().build().readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("RabbitMQ management API unreachable; run rabbitmq/setup.sh", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
