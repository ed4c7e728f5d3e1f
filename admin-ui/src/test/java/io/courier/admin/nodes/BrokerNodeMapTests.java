package io.courier.admin.nodes;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.courier.admin.nodes.BrokerHealth.Listener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway's broker address placed on a RabbitMQ node by the listeners the management
 * API lists, for the shapes a cluster comes in here: the local cluster of
 * {@code rabbitmq/cluster.sh} (a port per node, 127.0.0.1), Docker Compose (every node on
 * {@code :::61613}, named for its service), Kubernetes (pods by name, or one Service in
 * front of all), and the single default broker.
 */
class BrokerNodeMapTests {

	/** As courier-local's /api/overview lists them (a subset). */
	private static final BrokerNodeMap LOCAL_CLUSTER = new BrokerNodeMap(
			List.of(new Listener("courier-1@localhost", "amqp", "127.0.0.1", 5682),
					new Listener("courier-2@localhost", "amqp", "127.0.0.1", 5692),
					new Listener("courier-3@localhost", "amqp", "127.0.0.1", 5702),
					new Listener("courier-1@localhost", "http", "::", 15682),
					new Listener("courier-1@localhost", "stomp", "127.0.0.1", 61623),
					new Listener("courier-2@localhost", "stomp", "127.0.0.1", 61633),
					new Listener("courier-3@localhost", "stomp", "127.0.0.1", 61643)));

	private static final BrokerNodeMap COMPOSE = new BrokerNodeMap(
			List.of(new Listener("rabbit@rabbitmq-1", "stomp", "::", 61613),
					new Listener("rabbit@rabbitmq-2", "stomp", "::", 61613),
					new Listener("rabbit@rabbitmq-3", "stomp", "::", 61613),
					new Listener("rabbit@rabbitmq-1", "amqp", "::", 5672),
					new Listener("rabbit@rabbitmq-2", "amqp", "::", 5672),
					new Listener("rabbit@rabbitmq-3", "amqp", "::", 5672)));

	private static final BrokerNodeMap KUBERNETES = new BrokerNodeMap(List.of(
			new Listener("rabbit@courier-rabbitmq-server-0.courier-rabbitmq-nodes.courier", "stomp", "::", 61613),
			new Listener("rabbit@courier-rabbitmq-server-1.courier-rabbitmq-nodes.courier", "stomp", "::", 61613),
			new Listener("rabbit@courier-rabbitmq-server-1.courier-rabbitmq-nodes.courier", "stomp/ssl", "::", 61614)));

	private static final BrokerNodeMap SINGLE = new BrokerNodeMap(
			List.of(new Listener("rabbit@vm", "amqp", "127.0.0.1", 5672),
					new Listener("rabbit@vm", "stomp", "127.0.0.1", 61613),
					new Listener("rabbit@vm", "http/web-stomp", "::", 15674)));

	private static final Map<String, BrokerNodeMap> CLUSTERS = Map.of("local", LOCAL_CLUSTER, "compose", COMPOSE, "k8s",
			KUBERNETES, "single", SINGLE);

	@ParameterizedTest(name = "{0}: {1} {2} -> {3}")
	@CsvSource(nullValues = "none", value = {
			// the local cluster tells nodes apart by port
			"local, stomp, 127.0.0.1:61623, courier-1@localhost", "local, stomp, 127.0.0.1:61633, courier-2@localhost",
			"local, stomp, localhost:61643, courier-3@localhost", "local, amqp, 127.0.0.1:5692, courier-2@localhost",
			// the port is another protocol's, or no node's
			"local, stomp, 127.0.0.1:5682, none", "local, amqp, 127.0.0.1:61623, none",
			"local, stomp, 127.0.0.1:61613, none",
			// a listener bound to 127.0.0.1 does not take another IP's connections
			"local, stomp, 10.0.0.7:61623, none",
			// nodes listening alike are told apart by the host in their name
			"compose, stomp, rabbitmq-1:61613, rabbit@rabbitmq-1",
			"compose, stomp, RabbitMQ-3:61613, rabbit@rabbitmq-3", "compose, amqp, rabbitmq-2:5672, rabbit@rabbitmq-2",
			"compose, stomp, rabbitmq-2.courier-cluster_default:61613, rabbit@rabbitmq-2",
			// an IP or a name that is no node's: every node listens alike
			"compose, amqp, 172.18.0.3:5672, none", "compose, stomp, rabbitmq:61613, none",
			"compose, stomp, rabbitmq-4:61613, none",
			// a pod's name is its node
			"k8s, stomp, courier-rabbitmq-server-1.courier-rabbitmq-nodes:61613, "
					+ "rabbit@courier-rabbitmq-server-1.courier-rabbitmq-nodes.courier",
			"k8s, stomp, courier-rabbitmq-server-0.courier-rabbitmq-nodes.courier.svc.cluster.local:61613, "
					+ "rabbit@courier-rabbitmq-server-0.courier-rabbitmq-nodes.courier",
			// TLS listeners speak the same protocol
			"k8s, stomp, courier-rabbitmq:61614, rabbit@courier-rabbitmq-server-1.courier-rabbitmq-nodes.courier",
			// the Service balances over every node: which one is not known
			"k8s, stomp, courier-rabbitmq:61613, none",
			// a single node takes what matches its listeners only
			"single, stomp, 127.0.0.1:61613, rabbit@vm", "single, stomp, localhost:61613, rabbit@vm",
			"single, amqp, [127.0.0.1]:5672, rabbit@vm", "single, stomp, 127.0.0.1:61623, none",
			"single, stomp, 192.168.1.9:61613, none",
			// not host:port
			"single, stomp, 127.0.0.1, none", "single, stomp, 127.0.0.1:, none", "single, stomp, 127.0.0.1:stomp, none",
			"single, stomp, :61613, none" })
	void anAddressIsOnTheOneNodeWithThatListenerOrOnNone(String cluster, String kind, String address, String node) {
		assertThat(CLUSTERS.get(cluster).nodeOf(kind, address)).isEqualTo(node);
	}

}
