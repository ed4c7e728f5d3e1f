package io.courier.gateway.relay;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Declares the node's queues and their bindings at the broker (over AMQP, outside this
 * package). The relay consumes each queue over STOMP ({@code /amq/queue/<name>}) and
 * binds it with the keys its sessions subscribe to. Operations on one queue complete in
 * the order they were asked for.
 */
public interface NodeQueueBindings {

	/**
	 * Deletes the queue if it exists (with its bindings and messages) and declares it
	 * afresh, empty, unbound.
	 */
	CompletableFuture<@Nullable Void> reset(String queue);

	/** Deletes the queue (the node stops). */
	CompletableFuture<@Nullable Void> delete(String queue);

	CompletableFuture<@Nullable Void> bind(String queue, TopicBinding binding);

	CompletableFuture<@Nullable Void> unbind(String queue, TopicBinding binding);

}
