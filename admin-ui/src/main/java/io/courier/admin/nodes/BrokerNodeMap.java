package io.courier.admin.nodes;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Which RabbitMQ node a gateway's broker address ({@code host:port}, as the gateway
 * reports it in a {@code BrokerLink}) is on, found through the listeners the management
 * API lists ({@code /api/overview} → {@code listeners[]}: node, protocol, IP address,
 * port). Nothing is resolved: the console may not see the gateways' names, and a lookup
 * would block a page.
 *
 * <p>
 * A listener is a candidate when its protocol is the link's kind ({@code stomp},
 * {@code amqp}, or the same over TLS) and its port is the address's; an IP address in the
 * link rules out a listener bound to another IP (a wildcard listener, {@code ::} or
 * {@code 0.0.0.0}, takes any). One node left is the answer (the local cluster: a port per
 * node). Several nodes listening alike (Docker, Kubernetes: every node on
 * {@code :::61613}) are told apart by the listener's exact IP, then by the host part of
 * the node's name ({@code rabbit@rabbitmq-1} for {@code rabbitmq-1:61613}, and a
 * Kubernetes pod's {@code rabbit@server-0.nodes.ns} for {@code server-0.nodes:61613}). An
 * address that still names no single node (a load-balancing Service in front of all of
 * them, a broker the console does not read) is on no known node: {@code null}.
 */
public final class BrokerNodeMap {

	private final List<BrokerHealth.Listener> listeners;

	public BrokerNodeMap(List<BrokerHealth.Listener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	/** The node's name, or {@code null} when no single node has that listener. */
	public @Nullable String nodeOf(String kind, String address) {
		int colon = address.lastIndexOf(':');
		if (colon <= 0 || colon == address.length() - 1) {
			return null;
		}
		String host = unbracket(address.substring(0, colon)).toLowerCase(Locale.ROOT);
		int port;
		try {
			port = Integer.parseInt(address.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			return null;
		}
		List<BrokerHealth.Listener> candidates = this.listeners.stream()
			.filter((listener) -> listener.port() == port && speaks(listener, kind))
			.filter((listener) -> isWildcard(listener.address()) || !isIpLiteral(host)
					|| unbracket(listener.address()).equalsIgnoreCase(host))
			.toList();
		String node = single(candidates, (listener) -> true);
		if (node == null) {
			node = single(candidates, (listener) -> unbracket(listener.address()).equalsIgnoreCase(host));
		}
		if (node == null) {
			node = single(candidates, (listener) -> namesHost(listener.node(), host));
		}
		return node;
	}

	/** The node all matching candidates are on, if there are some and one node only. */
	private static @Nullable String single(List<BrokerHealth.Listener> candidates,
			Predicate<BrokerHealth.Listener> matching) {
		List<String> nodes = candidates.stream().filter(matching).map(BrokerHealth.Listener::node).distinct().toList();
		return (nodes.size() == 1) ? nodes.get(0) : null;
	}

	private static boolean speaks(BrokerHealth.Listener listener, String kind) {
		return listener.protocol().equals(kind) || listener.protocol().equals(kind + "/ssl");
	}

	private static boolean namesHost(String node, String host) {
		String nodeHost = node.substring(node.indexOf('@') + 1).toLowerCase(Locale.ROOT);
		return nodeHost.equals(host) || nodeHost.startsWith(host + ".") || host.startsWith(nodeHost + ".");
	}

	private static boolean isWildcard(String ip) {
		return ip.equals("::") || ip.equals("0.0.0.0") || ip.isEmpty();
	}

	private static boolean isIpLiteral(String host) {
		return host.contains(":") || host.matches("[0-9.]+");
	}

	private static String unbracket(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

}
