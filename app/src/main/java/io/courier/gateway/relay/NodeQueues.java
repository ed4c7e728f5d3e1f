package io.courier.gateway.relay;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * The node's queues: one per pooled broker connection that carries topics (the first
 * {@link #count()}), each consumed there by one STOMP subscription and bound with the
 * keys of the topics assigned to it. RabbitMQ holds O(nodes) queues and O(distinct keys
 * per node) bindings, never a queue per session. A queue is ready once it has been reset
 * (emptied, unbound) after its connection connected: topics go only to ready queues, so a
 * binding is never made before the reset that would remove it.
 *
 * <p>
 * A queue lives on the RabbitMQ node of the AMQP connection that declared it. When that
 * node is lost, RabbitMQ refuses to delete or declare the queue until the node is back
 * ("home node … is down or inaccessible"), so a reset that fails gives the queue a new
 * name ({@code <prefix><index>-<generation>}): the next reset declares it afresh on a
 * node that serves. The old one, unused, expires once its node is back.
 */
final class NodeQueues {

	private final String namePrefix;

	private final AtomicReferenceArray<String> names;

	private final int[] generations;

	private final NodeQueueBindings bindings;

	private final AtomicIntegerArray ready;

	NodeQueues(String namePrefix, int count, NodeQueueBindings bindings) {
		this.namePrefix = namePrefix;
		this.names = new AtomicReferenceArray<>(count);
		this.generations = new int[count];
		for (int i = 0; i < count; i++) {
			this.names.set(i, namePrefix + i);
		}
		this.bindings = bindings;
		this.ready = new AtomicIntegerArray(count);
	}

	int count() {
		return this.names.length();
	}

	String name(int index) {
		return this.names.get(index);
	}

	boolean isReady(int index) {
		return index < this.names.length() && this.ready.get(index) == 1;
	}

	/**
	 * Empties and unbinds the queue (what it held belonged to sessions that were ended
	 * with its connection).
	 */
	CompletableFuture<@Nullable Void> reset(int index) {
		this.ready.set(index, 0);
		return this.bindings.reset(this.names.get(index)).whenComplete((done, ex) -> {
			if (ex != null) {
				renew(index);
			}
		}).thenRun(() -> this.ready.set(index, 1));
	}

	/** The queue could not be reset: the next reset declares one of a new name. */
	private synchronized void renew(int index) {
		this.names.set(index, this.namePrefix + index + "-" + (++this.generations[index]));
	}

	void lost(int index) {
		if (index < this.names.length()) {
			this.ready.set(index, 0);
		}
	}

	CompletableFuture<@Nullable Void> bind(int index, TopicBinding binding) {
		return this.bindings.bind(this.names.get(index), binding);
	}

	CompletableFuture<@Nullable Void> unbind(int index, TopicBinding binding) {
		return this.bindings.unbind(this.names.get(index), binding);
	}

	/**
	 * Deletes every queue, waiting at most {@code timeout} in all (best effort: they
	 * expire anyway).
	 */
	void deleteAll(Duration timeout) {
		CompletableFuture<?>[] deletions = new CompletableFuture<?>[this.names.length()];
		for (int i = 0; i < deletions.length; i++) {
			this.ready.set(i, 0);
			deletions[i] = this.bindings.delete(this.names.get(i));
		}
		try {
			CompletableFuture.allOf(deletions).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// they expire
		}
	}

	static String subscriptionId(int index) {
		return "n" + index;
	}

}
