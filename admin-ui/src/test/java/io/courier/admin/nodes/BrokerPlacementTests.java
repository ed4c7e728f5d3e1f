package io.courier.admin.nodes;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.courier.admin.cluster.NodeView;
import io.courier.admin.nodes.BrokerHealth.Listener;
import io.courier.admin.nodes.BrokerPlacement.Link;
import io.courier.admin.nodes.BrokerPlacement.NodeCount;
import io.courier.contract.BrokerLink;
import io.courier.contract.NodeStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateways' connections placed on the broker nodes of a management API read: per broker
 * node, and per gateway.
 */
class BrokerPlacementTests {

	private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

	private final BrokerHealth broker = new BrokerHealth(NOW, null, "3.10.8", "25.2.3", "courier-local",
			List.of(node("courier-1@localhost"), node("courier-2@localhost"), node("courier-3@localhost")),
			List.of(new Listener("courier-1@localhost", "stomp", "127.0.0.1", 61623),
					new Listener("courier-2@localhost", "stomp", "127.0.0.1", 61633),
					new Listener("courier-3@localhost", "stomp", "127.0.0.1", 61643),
					new Listener("courier-1@localhost", "amqp", "127.0.0.1", 5682)),
			0, 0, 0, 0, 0, List.of(), List.of());

	@Test
	void eachBrokerNodeListsTheGatewayConnectionsOnIt() {
		BrokerPlacement placement = BrokerPlacement.of(List.of(
				gateway("gw-a", stomp("127.0.0.1:61623", true), stomp("127.0.0.1:61633", true),
						stomp("127.0.0.1:61623", true), stomp("127.0.0.1:61633", false), amqp("127.0.0.1:5682")),
				gateway("gw-b", stomp("127.0.0.1:61643", true), stomp("127.0.0.1:61613", true))), this.broker);

		assertThat(placement.rows()).extracting(BrokerPlacement.Row::name)
			.containsExactly("courier-1@localhost", "courier-2@localhost", "courier-3@localhost",
					BrokerPlacement.UNKNOWN);
		assertThat(placement.rows().get(0).links()).containsExactly(
				new Link("gw-a", "stomp", "127.0.0.1:61623", true, 2),
				new Link("gw-a", "amqp", "127.0.0.1:5682", true, 1));
		assertThat(placement.rows().get(1).links()).as("a down connection is shown where it tries next")
			.containsExactly(new Link("gw-a", "stomp", "127.0.0.1:61633", true, 1),
					new Link("gw-a", "stomp", "127.0.0.1:61633", false, 1));
		assertThat(placement.rows().get(2).links())
			.containsExactly(new Link("gw-b", "stomp", "127.0.0.1:61643", true, 1));
		assertThat(placement.rows().get(3).node()).isNull();
		assertThat(placement.rows().get(3).links()).as("an address no listener has")
			.containsExactly(new Link("gw-b", "stomp", "127.0.0.1:61613", true, 1));

		assertThat(placement.of("gw-a")).containsExactly(new NodeCount("courier-1@localhost", 3, 0),
				new NodeCount("courier-2@localhost", 1, 1));
		assertThat(placement.of("gw-b")).containsExactly(new NodeCount("courier-3@localhost", 1, 0),
				new NodeCount(BrokerPlacement.UNKNOWN, 1, 0));
	}

	@Test
	void aNodeWithoutConnectionsIsListedAndAGatewayOlderThanBrokerLinksHasNone() {
		NodeView old = new NodeView("gw-old",
				new NodeStatus("gw-old", "http://127.0.0.1:8080", NOW, 0, 0, 0, "UP", "0.0.9", null), NOW, 0, 0, 0);
		NodeView silent = new NodeView("gw-silent", null, NOW, 0, 0, 0);
		BrokerPlacement placement = BrokerPlacement.of(List.of(old, silent), this.broker);

		assertThat(placement.rows()).extracting(BrokerPlacement.Row::name)
			.containsExactly("courier-1@localhost", "courier-2@localhost", "courier-3@localhost");
		assertThat(placement.rows()).allSatisfy((row) -> assertThat(row.links()).isEmpty());
		assertThat(placement.reports("gw-old")).isFalse();
		assertThat(placement.of("gw-old")).isEmpty();
		assertThat(placement.reports("gw-silent")).isFalse();
	}

	private static NodeView gateway(String id, BrokerLink... links) {
		return new NodeView(id,
				new NodeStatus(id, "http://127.0.0.1:8080", NOW, 0, 0, 0, "UP", "0.1.0", List.of(links)), NOW, 0, 0, 0);
	}

	private static BrokerLink stomp(String address, boolean up) {
		return new BrokerLink(BrokerLink.STOMP, address, up);
	}

	private static BrokerLink amqp(String address) {
		return new BrokerLink(BrokerLink.AMQP, address, true);
	}

	private static BrokerHealth.Node node(String name) {
		return new BrokerHealth.Node(name, true, false, false, 100, 1000, 10, 100, 60000, List.of());
	}

}
