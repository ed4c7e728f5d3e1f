package io.courier.gateway.presence;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.stereotype.Component;

import io.courier.contract.BrokerLink;
import io.courier.gateway.relay.MultiplexedRelayMessageHandler;

/**
 * This node's connections to RabbitMQ, for
 * {@link io.courier.contract.NodeStatus#brokerLinks()}: each pooled connection of
 * Courier's relay (the address it is on, or tries next while down; none with
 * {@code courier.relay.engine=spring}, whose connections are not exposed), then the AMQP
 * connection of Boot's {@link CachingConnectionFactory} (one connection, channels cached
 * on it). The AMQP address is recorded by a connection listener when the connection
 * opens: {@code spring.rabbitmq.addresses} may list several brokers and only the client
 * library knows which one took it. Before its first connection there is no AMQP entry.
 */
@Component
class BrokerLinks {

	private final ObjectProvider<AbstractBrokerMessageHandler> relay;

	private volatile @Nullable Connection amqp;

	private volatile @Nullable String amqpAddress;

	BrokerLinks(@Qualifier("stompBrokerRelayMessageHandler") ObjectProvider<AbstractBrokerMessageHandler> relay,
			ObjectProvider<CachingConnectionFactory> connectionFactory) {
		this.relay = relay;
		// called at once if the connection is open already
		connectionFactory.ifAvailable((factory) -> factory.addConnectionListener(this::opened));
	}

	private void opened(Connection connection) {
		com.rabbitmq.client.Connection delegate = connection.getDelegate();
		if (delegate != null) {
			this.amqpAddress = host(delegate.getAddress()) + ":" + delegate.getPort();
			this.amqp = connection;
		}
	}

	List<BrokerLink> links() {
		List<BrokerLink> links = new ArrayList<>();
		if (this.relay.getIfAvailable() instanceof MultiplexedRelayMessageHandler multiplexed) {
			multiplexed.connections()
				.forEach((state) -> links.add(new BrokerLink(BrokerLink.STOMP, state.address(), state.up())));
		}
		Connection amqp = this.amqp;
		String address = this.amqpAddress;
		if (amqp != null && address != null) {
			links.add(new BrokerLink(BrokerLink.AMQP, address, amqp.isOpen()));
		}
		return links;
	}

	/**
	 * The name the connection was made with when there is one ({@code rabbitmq-1}), else
	 * the IP; {@link InetAddress#toString()} is {@code name/ip} and never looks a name
	 * up.
	 */
	private static String host(InetAddress address) {
		String text = address.toString();
		int slash = text.indexOf('/');
		if (slash > 0) {
			return text.substring(0, slash);
		}
		String ip = address.getHostAddress();
		return (address instanceof Inet6Address) ? "[" + ip + "]" : ip;
	}

}
