package io.courier.admin.nodes;

import java.util.ArrayList;
import java.util.List;

/**
 * Replicated queues (quorum queues, streams) of the gateways' vhost that lack a member on
 * a node of the cluster. RabbitMQ 3.10 gives a new one a member on each node that is in
 * the cluster when it is declared and never adds a node that joins later; on a fresh
 * cluster the node that boots first may import the definitions (which declare the order
 * queues) alone, so {@code courier.order-events} can end up on one node, and losing that
 * node stops order events being accepted. Each such queue is an alarm naming the command
 * that adds what is missing.
 */
final class MissingReplicas {

	private MissingReplicas() {
	}

	static List<String> alarms(String vhost, List<BrokerHealth.Node> nodes, List<BrokerHealth.QueueRow> queues) {
		List<String> alarms = new ArrayList<>();
		if (nodes.size() < 2) {
			return alarms;
		}
		for (BrokerHealth.QueueRow queue : queues) {
			if (!queue.replicated() || queue.members().isEmpty()) {
				continue;
			}
			List<String> missing = nodes.stream()
				.map(BrokerHealth.Node::name)
				.filter((node) -> !queue.members().contains(node))
				.toList();
			if (!missing.isEmpty()) {
				String fix = "quorum".equals(queue.type()) ? "rabbitmq-queues grow <node> all"
						: "rabbitmq-streams add_replica --vhost " + vhost + " " + queue.name() + " <node>";
				alarms.add(queue.name() + " (" + queue.type() + ") has no member on " + String.join(", ", missing)
						+ ": " + fix);
			}
		}
		return alarms;
	}

}
