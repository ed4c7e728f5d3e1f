package io.courier.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Address;

/**
 * The local three-node RabbitMQ cluster of {@code rabbitmq/cluster.sh}: its nodes'
 * addresses (node N listens on the default ports + 10·N), and the script's {@code kill N}
 * (SIGKILL of the node's Erlang VM) and {@code start N}. Loopback only.
 */
final class BrokerCluster {

	static final int NODES = 3;

	private static final Pattern NODE_NAME = Pattern.compile("courier-(\\d)@");

	private final Path script;

	BrokerCluster(Path script) {
		if (!Files.isRegularFile(script)) {
			throw new IllegalArgumentException("no cluster script at " + script + " (rabbitmq/cluster.sh)");
		}
		this.script = script;
	}

	/** {@code courier-N@localhost}, N from 1. */
	static String nodeName(int node) {
		return "courier-" + node + "@localhost";
	}

	/**
	 * The AMQP listeners, {@code host:port,...}, as Spring's {@code addresses} take them.
	 */
	static String amqpAddresses() {
		return addresses(5672);
	}

	/** The STOMP listeners, for {@code courier.relay.addresses}. */
	static String stompAddresses() {
		return addresses(61613);
	}

	static Address[] amqp() {
		List<Address> addresses = new ArrayList<>();
		for (int node = 1; node <= NODES; node++) {
			addresses.add(new Address("127.0.0.1", 5672 + 10 * node));
		}
		return addresses.toArray(Address[]::new);
	}

	private static String addresses(int basePort) {
		List<String> addresses = new ArrayList<>();
		for (int node = 1; node <= NODES; node++) {
			addresses.add("127.0.0.1:" + (basePort + 10 * node));
		}
		return String.join(",", addresses);
	}

	/** Node N's VM, from the pid file cluster.sh keeps; -1 if it is not running. */
	static long pid(int node) {
		try {
			return Long.parseLong(Files
				.readString(Path.of("/var/lib/courier-cluster", Integer.toString(node), "courier-" + node + ".pid"))
				.trim());
		}
		catch (java.io.IOException | NumberFormatException ex) {
			return -1;
		}
	}

	/** SIGKILL of node N's VM: a crash, not a stop. */
	void kill(int node) throws Exception {
		script("kill", Integer.toString(node));
	}

	/** Node N boots again and rejoins from its data. */
	void start(int node) throws Exception {
		script("start", Integer.toString(node));
	}

	/**
	 * The node that leads quorum queue {@code queue} in {@code vhost} (for a classic
	 * queue, the node it lives on), asking each node in turn; 0 if none knows.
	 */
	int leaderOf(String vhost, String queue) throws Exception {
		for (int node = 1; node <= NODES; node++) {
			Matcher matcher = NODE_NAME.matcher(queueLine(node, vhost, queue, "leader", "pid"));
			if (matcher.find()) {
				return Integer.parseInt(matcher.group(1));
			}
		}
		return 0;
	}

	/**
	 * How many nodes hold a member of quorum queue (or replica of stream) {@code queue},
	 * as node {@code from} lists them; 0 if it does not know the queue.
	 */
	int membersOf(int from, String vhost, String queue) throws Exception {
		return (int) NODE_NAME.matcher(queueLine(from, vhost, queue, "members")).results().count();
	}

	/**
	 * Queue {@code queue}'s line of node {@code node}'s {@code list_queues name
	 * <columns>}; empty if the node does not list it.
	 */
	private static String queueLine(int node, String vhost, String queue, String... columns) throws Exception {
		List<String> command = new ArrayList<>(
				List.of("rabbitmqctl", "-n", nodeName(node), "-q", "list_queues", "-p", vhost, "name"));
		command.addAll(List.of(columns));
		for (String line : run(command).split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length >= 2 && fields[0].equals(queue)) {
				return line;
			}
		}
		return "";
	}

	/** The nodes the cluster says are running, as seen from {@code from}. */
	List<String> runningNodes(int from) throws Exception {
		String output = run(List.of("rabbitmqctl", "-n", nodeName(from), "cluster_status", "--formatter", "json"));
		int start = output.indexOf("\"running_nodes\":[");
		if (start < 0) {
			return List.of();
		}
		String list = output.substring(start + 17, output.indexOf(']', start));
		List<String> nodes = new ArrayList<>();
		for (String name : list.split(",")) {
			String trimmed = name.trim().replace("\"", "");
			if (!trimmed.isEmpty()) {
				nodes.add(trimmed);
			}
		}
		return nodes;
	}

	private void script(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("bash", this.script.toString()));
		command.addAll(List.of(args));
		run(command);
	}

	private static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(
					String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
		}
		return new String(output, StandardCharsets.UTF_8);
	}

}
