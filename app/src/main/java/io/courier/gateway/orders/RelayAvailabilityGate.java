package io.courier.gateway.orders;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.MessageListenerContainer;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.stereotype.Component;

/**
 * Runs the order event consumer only while the relay can reach RabbitMQ's STOMP port
 * ({@code BrokerAvailabilityEvent}). While it cannot, the relay could not forward what it
 * is given, so events stay in {@code courier.order-events} (and another node, if any,
 * becomes the active consumer) instead of being acked into a void.
 */
@Component
class RelayAvailabilityGate {

	private static final Log logger = LogFactory.getLog(RelayAvailabilityGate.class);

	private final RabbitListenerEndpointRegistry registry;

	private final boolean consumerEnabled;

	private volatile boolean closing;

	private volatile boolean refreshed;

	private volatile boolean brokerAvailable;

	RelayAvailabilityGate(RabbitListenerEndpointRegistry registry, OrderProperties properties) {
		this.registry = registry;
		this.consumerEnabled = properties.consumerEnabled();
	}

	/**
	 * Not before the application is ready: Spring AMQP's listener registry counts as
	 * running when any of its containers runs, and the lifecycle processor then never
	 * starts it, so starting this container early (the relay connects during startup)
	 * left every other listener, the node's cluster queue among them, stopped.
	 */
	@EventListener
	void onReady(ApplicationReadyEvent event) {
		this.refreshed = true;
		apply(this.brokerAvailable);
	}

	@EventListener
	void onBrokerAvailability(BrokerAvailabilityEvent event) {
		this.brokerAvailable = event.isBrokerAvailable();
		if (this.refreshed) {
			apply(event.isBrokerAvailable());
		}
	}

	private synchronized void apply(boolean available) {
		MessageListenerContainer container = this.registry.getListenerContainer(OrderAmqpConfiguration.LISTENER_ID);
		if (container == null || !this.consumerEnabled || container.isRunning() == available) {
			return;
		}
		if (available) {
			logger.info("Relay connected to the broker: consuming order events");
			container.start();
		}
		else {
			if (this.closing) {
				logger.info("Gateway stopping: order event consumer stopped");
			}
			else {
				logger.warn("Relay lost the broker: pausing the order event consumer");
			}
			container.stop();
		}
	}

	@EventListener
	void onClose(ContextClosedEvent event) {
		this.closing = true;
	}

}
