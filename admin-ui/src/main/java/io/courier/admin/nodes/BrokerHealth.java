package io.courier.admin.nodes;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the console last read from RabbitMQ's management API.
 *
 * @param readAt when
 * @param error why it could not be read (null when it could)
 * @param version RabbitMQ's version
 * @param erlangVersion Erlang's
 * @param clusterName the cluster's name
 * @param nodes the broker nodes
 * @param listeners protocol listeners ({@code amqp}, {@code stomp},
 * {@code http/web-stomp}, ...)
 * @param connections client connections (all vhosts)
 * @param channels channels
 * @param queueCount queues (all vhosts)
 * @param publishRate messages published per second (all vhosts)
 * @param deliverRate messages delivered per second
 * @param queues the queues of the gateways' vhost
 * @param alarms resource alarms in force, e.g. {@code memory alarm on rabbit@host}
 */
public record BrokerHealth(Instant readAt, @Nullable String error, @Nullable String version,
		@Nullable String erlangVersion, @Nullable String clusterName, List<Node> nodes, List<Listener> listeners,
		long connections, long channels, long queueCount, double publishRate, double deliverRate, List<QueueRow> queues,
		List<String> alarms) {

	static BrokerHealth unavailable(Instant now, String error) {
		return new BrokerHealth(now, error, null, null, null, List.of(), List.of(), 0, 0, 0, 0, 0, List.of(),
				List.of());
	}

	public boolean stompListening() {
		return this.listeners.stream().anyMatch((listener) -> "stomp".equals(listener.protocol()));
	}

	/**
	 * A broker node; {@code partitions} names the nodes it has lost contact with while
	 * they ran (a network partition), empty when none.
	 */
	public record Node(String name, boolean running, boolean memoryAlarm, boolean diskAlarm, long memoryUsed,
			long memoryLimit, long fileDescriptorsUsed, long fileDescriptorsTotal, long uptimeMillis,
			List<String> partitions) {
	}

	/** A protocol listener. */
	public record Listener(String node, String protocol, String address, int port) {
	}

	/**
	 * A queue of the gateways' vhost; {@code members} are the nodes a quorum queue or
	 * stream has a replica on (empty for a classic queue).
	 */
	public record QueueRow(String name, String type, long messages, long consumers, double publishRate,
			List<String> members) {

		/** A quorum queue or a stream: RabbitMQ keeps it on several nodes. */
		public boolean replicated() {
			return "quorum".equals(this.type) || "stream".equals(this.type);
		}

	}

}
