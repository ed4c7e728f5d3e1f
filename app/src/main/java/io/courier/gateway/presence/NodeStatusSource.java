package io.courier.gateway.presence;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.stereotype.Component;

import io.courier.contract.NodeStatus;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.session.LocalSessions;

/**
 * Builds this node's {@link NodeStatus}: the address comes from the main web server once
 * it listens ({@code server.address}, or the host name when that is a wildcard), the
 * version from the build info, the broker connections from {@link BrokerLinks}.
 */
@Component
class NodeStatusSource {

	private final String nodeId;

	private final Instant startedAt = Instant.now();

	private final LocalSessions sessions;

	private final BrokerLinks brokerLinks;

	private final AtomicBoolean relayUp = new AtomicBoolean();

	private final Environment environment;

	private final String version;

	private volatile String address = "";

	NodeStatusSource(GatewayProperties gateway, LocalSessions sessions, BrokerLinks brokerLinks,
			ObjectProvider<BuildProperties> build, Environment environment) {
		this.nodeId = gateway.nodeId();
		this.sessions = sessions;
		this.brokerLinks = brokerLinks;
		this.environment = environment;
		BuildProperties properties = build.getIfAvailable();
		String version = (properties != null) ? properties.getVersion() : null;
		this.version = (version != null) ? version : "unknown";
	}

	/** The main server only: the management server has a namespace of its own. */
	@EventListener
	void onWebServer(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() == null) {
			boolean tls = this.environment.getProperty("server.ssl.enabled", Boolean.class,
					this.environment.containsProperty("server.ssl.key-store")
							|| this.environment.containsProperty("server.ssl.bundle"));
			this.address = (tls ? "https://" : "http://") + host() + ":" + event.getWebServer().getPort();
		}
	}

	/** Whichever relay runs announces whether it reaches RabbitMQ. */
	@EventListener
	void onBrokerAvailability(BrokerAvailabilityEvent event) {
		this.relayUp.set(event.isBrokerAvailable());
	}

	NodeStatus status() {
		String relay = this.relayUp.get() ? NodeStatus.UP : NodeStatus.DOWN;
		return new NodeStatus(this.nodeId, this.address, this.startedAt, this.sessions.connectedCount(),
				this.sessions.framesIn(), this.sessions.framesOut(), relay, this.version, this.brokerLinks.links());
	}

	private String host() {
		String address = this.environment.getProperty("server.address", "");
		if (!address.isEmpty() && !address.equals("0.0.0.0") && !address.equals("::")) {
			return address.contains(":") ? "[" + address + "]" : address;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

}
