package io.courier.gateway.orders;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.DeclarationExceptionEvent;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.event.EventListener;

/**
 * Which type each order queue has on the broker, as far as this node knows: the type it
 * declares, unless RabbitMQ refused that declaration because the queue exists with other
 * arguments. That is what a broker set up by an older Courier has: classic queues of the
 * same names, whose type cannot change. The refusal reaches this class as Spring AMQP's
 * {@link DeclarationExceptionEvent} ({@link DurableQueue#declarable()} lets
 * {@code RabbitAdmin} go on with the other declarations); the gateway then consumes the
 * queue as it is, and one WARN says what exists, what was declared and where the
 * migration is described.
 *
 * <p>
 * RabbitMQ names only the first argument it finds different (for the events queue that is
 * {@code x-overflow}, not {@code x-queue-type}), so after a refusal the queue is declared
 * once more as the earlier Courier declared it, as a classic queue: if RabbitMQ accepts
 * that, the queue is that classic queue (a no-op declaration of an existing queue).
 */
class OrderQueueTypes {

	private static final Log logger = LogFactory.getLog(OrderQueueTypes.class);

	/** Where the migration from classic queues is described. */
	static final String MIGRATION = "docs/CLUSTER.md#migrating-the-order-queues-from-classic-to-quorum";

	private final Map<String, DurableQueue> declared = new LinkedHashMap<>();

	private final Map<String, DurableQueue> earlier = new LinkedHashMap<>();

	private final Map<String, String> refused = new ConcurrentHashMap<>();

	/**
	 * @param declared the queues as this version declares them
	 * @param earlier the same queues as an older Courier declared them
	 */
	OrderQueueTypes(List<DurableQueue> declared, List<DurableQueue> earlier) {
		declared.forEach((queue) -> this.declared.put(queue.name(), queue));
		earlier.forEach((queue) -> this.earlier.put(queue.name(), queue));
	}

	@EventListener
	void onDeclarationException(DeclarationExceptionEvent event) {
		if (!(event.getDeclarable() instanceof Queue queue) || !this.declared.containsKey(queue.getName())) {
			return;
		}
		DurableQueue declared = this.declared.get(queue.getName());
		String refusal = preconditionFailed(event.getThrowable());
		if (refusal == null) {
			return;
		}
		DurableQueue earlier = this.earlier.get(declared.name());
		boolean isEarlier = earlier != null && event.getSource() instanceof RabbitAdmin admin
				&& accepts(admin, earlier);
		String exists = isEarlier ? earlier.type().argument() : "other arguments";
		if (!exists.equals(this.refused.put(declared.name(), exists))) {
			logger.warn(declared.name() + " exists " + (isEarlier ? "as a classic queue" : "with other arguments")
					+ ", so RabbitMQ refused to declare it as a " + declared.type().argument() + " queue "
					+ declared.declaredArguments() + " (" + refusal + "). The gateway keeps using the existing queue"
					+ (isEarlier ? ", which lives on one node and is not replicated" : "") + ". To migrate it, see "
					+ MIGRATION + ".");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(declared.name() + " still refused: " + refusal);
		}
	}

	/**
	 * Each order queue's type: the declared one, or what exists with
	 * {@code (migration pending)} after a refusal.
	 */
	Map<String, String> types() {
		Map<String, String> types = new LinkedHashMap<>();
		this.declared.forEach((name, queue) -> {
			String exists = this.refused.get(name);
			types.put(name, (exists != null) ? exists + " (migration pending)" : queue.type().argument());
		});
		return types;
	}

	boolean migrationPending() {
		return !this.refused.isEmpty();
	}

	private static boolean accepts(RabbitAdmin admin, DurableQueue queue) {
		try {
			admin.getRabbitTemplate()
				.execute(
						(channel) -> channel.queueDeclare(queue.name(), true, false, false, queue.declaredArguments()));
			return true;
		}
		catch (AmqpException ex) {
			return false;
		}
	}

	/** The broker's reply text if {@code failure} is a 406 PRECONDITION_FAILED. */
	static @Nullable String preconditionFailed(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ShutdownSignalException signal
					&& signal.getReason() instanceof AMQP.Channel.Close close
					&& close.getReplyCode() == AMQP.PRECONDITION_FAILED) {
				return close.getReplyText();
			}
		}
		return null;
	}

}
