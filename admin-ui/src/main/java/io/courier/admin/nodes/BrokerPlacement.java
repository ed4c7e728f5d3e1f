package io.courier.admin.nodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.courier.admin.cluster.NodeView;
import io.courier.contract.BrokerLink;
import io.courier.contract.NodeStatus;

/**
 * Which gateway connections sit on which RabbitMQ node: the gateways' broker links (from
 * their heart-beats) placed on the broker nodes of the last management API read, by
 * {@link BrokerNodeMap}. Links on no known node are gathered under {@link #UNKNOWN}. A
 * plain object the overview builds for each page.
 */
public final class BrokerPlacement {

	/** Where a link whose address matches no listener is shown. */
	public static final String UNKNOWN = "unknown node";

	private final List<Row> rows;

	private final Map<String, List<NodeCount>> byGateway;

	private BrokerPlacement(List<Row> rows, Map<String, List<NodeCount>> byGateway) {
		this.rows = rows;
		this.byGateway = byGateway;
	}

	public static BrokerPlacement of(List<NodeView> gateways, BrokerHealth broker) {
		BrokerNodeMap map = new BrokerNodeMap(broker.listeners());
		Map<String, Map<Key, Integer>> links = new LinkedHashMap<>(); // node -> alike
																		// links -> count
		broker.nodes().forEach((node) -> links.put(node.name(), new LinkedHashMap<>()));
		Map<String, List<NodeCount>> byGateway = new LinkedHashMap<>();
		for (NodeView gateway : gateways) {
			NodeStatus status = gateway.status();
			List<BrokerLink> gatewayLinks = (status != null) ? status.brokerLinks() : null;
			if (gatewayLinks == null) {
				continue;
			}
			Map<String, int[]> counts = new LinkedHashMap<>(); // node -> {up, down}
			for (BrokerLink link : gatewayLinks) {
				String node = map.nodeOf(link.kind(), link.address());
				String where = (node != null) ? node : UNKNOWN;
				Key alike = new Key(gateway.nodeId(), link.kind(), link.address(), link.up());
				links.computeIfAbsent(where, (name) -> new LinkedHashMap<>()).merge(alike, 1, Integer::sum);
				counts.computeIfAbsent(where, (name) -> new int[2])[link.up() ? 0 : 1]++;
			}
			byGateway.put(gateway.nodeId(),
					counts.entrySet()
						.stream()
						.map((e) -> new NodeCount(e.getKey(), e.getValue()[0], e.getValue()[1]))
						.toList());
		}
		Map<String, BrokerHealth.Node> nodes = new LinkedHashMap<>();
		broker.nodes().forEach((node) -> nodes.put(node.name(), node));
		List<Row> rows = new ArrayList<>();
		links.forEach((where, groups) -> {
			List<Link> placed = new ArrayList<>();
			groups.forEach((key, count) -> placed.add(new Link(key.gateway, key.kind, key.address, key.up, count)));
			rows.add(new Row(where, nodes.get(where), placed));
		});
		return new BrokerPlacement(rows, byGateway);
	}

	/**
	 * Every broker node in the management API's order, then {@link #UNKNOWN} if some link
	 * is on no known node.
	 */
	public List<Row> rows() {
		return this.rows;
	}

	/**
	 * A gateway's connections per broker node; empty for a gateway that reports no broker
	 * links (older than them).
	 */
	public List<NodeCount> of(String gatewayId) {
		return this.byGateway.getOrDefault(gatewayId, List.of());
	}

	/** Whether a gateway reported its broker links at all. */
	public boolean reports(String gatewayId) {
		return this.byGateway.containsKey(gatewayId);
	}

	/**
	 * A broker node and the gateway connections on it.
	 *
	 * @param name the node's name, or {@link #UNKNOWN}
	 * @param node what the management API says of it ({@code null} for {@link #UNKNOWN})
	 * @param links the connections on it, alike ones counted together
	 */
	public record Row(String name, BrokerHealth.@Nullable Node node, List<Link> links) {
	}

	/**
	 * Connections of one gateway, kind, address and state.
	 *
	 * @param gateway the gateway node's id
	 * @param kind {@code stomp} (relay) or {@code amqp}
	 * @param address the broker address the gateway reported
	 * @param up whether they are open
	 * @param count how many
	 */
	public record Link(String gateway, String kind, String address, boolean up, int count) {
	}

	private record Key(String gateway, String kind, String address, boolean up) {
	}

	/**
	 * How many connections of a gateway are on a broker node.
	 *
	 * @param node the broker node, or {@link #UNKNOWN}
	 * @param up open connections
	 * @param down connections that are down (on the address they try next)
	 */
	public record NodeCount(String node, int up, int down) {
	}

}
