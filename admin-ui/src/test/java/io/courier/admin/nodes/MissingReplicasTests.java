package io.courier.admin.nodes;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.courier.admin.nodes.BrokerHealth.Node;
import io.courier.admin.nodes.BrokerHealth.QueueRow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's alarm for a quorum queue or stream without a member on every node (a
 * fresh cluster whose first node imported the definitions alone left
 * {@code courier.order-events} on that node only).
 */
class MissingReplicasTests {

	private static final List<Node> THREE = List.of(node("courier-1@localhost"), node("courier-2@localhost"),
			node("courier-3@localhost"));

	@Test
	void aQuorumQueueOnOneNodeOfThreeIsAnAlarmNamingTheMissingNodesAndTheFix() {
		List<String> alarms = MissingReplicas.alarms("courier", THREE,
				List.of(queue("courier.order-events", "quorum", "courier-1@localhost"), queue("courier.history",
						"stream", "courier-1@localhost", "courier-2@localhost", "courier-3@localhost")));

		assertThat(alarms).containsExactly("courier.order-events (quorum) has no member on courier-2@localhost, "
				+ "courier-3@localhost: rabbitmq-queues grow <node> all");
	}

	@Test
	void aStreamWithoutAReplicaOnANodeNamesAddReplica() {
		assertThat(MissingReplicas.alarms("courier", THREE,
				List.of(queue("courier.limits", "stream", "courier-1@localhost", "courier-3@localhost"))))
			.containsExactly("courier.limits (stream) has no member on courier-2@localhost: "
					+ "rabbitmq-streams add_replica --vhost courier courier.limits <node>");
	}

	@Test
	void aMemberOnADownNodeIsStillAMember() {
		List<Node> oneDown = List.of(node("courier-1@localhost"),
				new Node("courier-2@localhost", false, false, false, 0, 0, 0, 0, 0, List.of()),
				node("courier-3@localhost"));
		assertThat(MissingReplicas.alarms("courier", oneDown, List.of(queue("courier.order-events", "quorum",
				"courier-1@localhost", "courier-2@localhost", "courier-3@localhost"))))
			.isEmpty();
	}

	@Test
	void oneNodeAndClassicQueuesNeverAlarm() {
		assertThat(MissingReplicas.alarms("courier", List.of(node("rabbit@host")),
				List.of(queue("courier.order-events", "quorum", "rabbit@host"))))
			.isEmpty();
		assertThat(MissingReplicas.alarms("courier", THREE, List.of(queue("courier.node.gw.0", "classic")))).isEmpty();
	}

	private static Node node(String name) {
		return new Node(name, true, false, false, 0, 0, 0, 0, 0, List.of());
	}

	private static QueueRow queue(String name, String type, String... members) {
		return new QueueRow(name, type, 0, 0, 0, List.of(members));
	}

}
