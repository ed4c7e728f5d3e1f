package io.courier.gateway.orders;

import java.util.HashMap;
import java.util.Map;

import org.springframework.amqp.core.Queue;

/**
 * A durable, shared queue of the gateway as it is declared: its name, its
 * {@link QueueType} and the arguments that go with it. The {@link #declarable()} ignores
 * declaration errors, so that a queue which exists with other arguments (a classic queue
 * made by an older Courier, say) is logged by {@link OrderQueueTypes} and then used as it
 * is, instead of failing every declaration of the context.
 */
record DurableQueue(String name, QueueType type, Map<String, Object> arguments) {

	DurableQueue {
		arguments = Map.copyOf(arguments);
	}

	/** {@link #arguments()} with {@code x-queue-type}. */
	Map<String, Object> declaredArguments() {
		Map<String, Object> declared = new HashMap<>(this.arguments);
		declared.put("x-queue-type", this.type.argument());
		return declared;
	}

	/** What {@code RabbitAdmin} declares at each connection. */
	Queue declarable() {
		Queue queue = new Queue(this.name, true, false, false, declaredArguments());
		queue.setIgnoreDeclarationExceptions(true);
		return queue;
	}

}
