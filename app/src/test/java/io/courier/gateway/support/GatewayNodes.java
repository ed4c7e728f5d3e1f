package io.courier.gateway.support;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;

import io.courier.gateway.CourierApplication;

import static org.awaitility.Awaitility.await;

/**
 * Extra gateway nodes for multi-node tests, in this JVM or (through {@link #args}) in a
 * child JVM: loopback, trusting {@link TestIdentityProvider}, on the test vhost from
 * {@code config/application.yml}.
 */
public final class GatewayNodes {

	private GatewayNodes() {
	}

	/**
	 * Command-line arguments for a node. Arguments, not builder properties: those are
	 * defaults that application.yml would override.
	 */
	public static String[] args(String nodeId, int port, Map<String, Object> extra) {
		Map<String, Object> properties = new HashMap<>(TestIdentityProvider.get().properties());
		properties.put("server.port", port);
		properties.put("server.address", "127.0.0.1");
		properties.put("management.server.port", 0);
		properties.put("courier.node-id", nodeId);
		properties.putAll(extra);
		return properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
	}

	/**
	 * Starts a node on a random port in this JVM and waits until its relay reaches
	 * RabbitMQ.
	 */
	public static ConfigurableApplicationContext start(String nodeId, Map<String, Object> extra) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(CourierApplication.class)
			.run(args(nodeId, 0, extra));
		AbstractBrokerMessageHandler relay = context.getBean("stompBrokerRelayMessageHandler",
				AbstractBrokerMessageHandler.class);
		await().atMost(30, TimeUnit.SECONDS).until(relay::isBrokerAvailable);
		return context;
	}

	/** Closes the nodes that were started; null for one that failed to start. */
	public static void close(ConfigurableApplicationContext... nodes) {
		for (ConfigurableApplicationContext node : nodes) {
			if (node != null) {
				node.close();
			}
		}
	}

	public static int port(ConfigurableApplicationContext node) {
		return ((WebServerApplicationContext) node).getWebServer().getPort();
	}

	public static String wsUrl(int port) {
		return "ws://127.0.0.1:" + port + "/ws";
	}

}
