package io.courier.gateway.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node queue whose reset failed (its RabbitMQ node lost: the queue can be neither
 * deleted nor declared) is declared under a new name by the next reset; the others keep
 * theirs. The broker's side of it is the cluster chaos test (bench).
 */
class NodeQueuesTests {

	private final List<String> resets = new ArrayList<>();

	private boolean refuse;

	private final NodeQueueBindings bindings = new NodeQueueBindings() {

		@Override
		public CompletableFuture<@Nullable Void> reset(String queue) {
			NodeQueuesTests.this.resets.add(queue);
			return NodeQueuesTests.this.refuse
					? CompletableFuture.failedFuture(new java.io.IOException("home node is down or inaccessible"))
					: CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<@Nullable Void> delete(String queue) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<@Nullable Void> bind(String queue, TopicBinding binding) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletableFuture<@Nullable Void> unbind(String queue, TopicBinding binding) {
			return CompletableFuture.completedFuture(null);
		}

	};

	@Test
	void aQueueThatCouldNotBeResetIsDeclaredUnderANewName() {
		NodeQueues queues = new NodeQueues("courier.node.a.x.", 2, this.bindings);
		this.refuse = true;
		assertThat(queues.reset(1)).isCompletedExceptionally();
		assertThat(queues.isReady(1)).isFalse();
		assertThat(queues.reset(1)).isCompletedExceptionally();
		this.refuse = false;
		assertThat(queues.reset(1)).isCompleted();
		assertThat(queues.reset(0)).isCompleted();
		assertThat(this.resets).containsExactly("courier.node.a.x.1", "courier.node.a.x.1-1", "courier.node.a.x.1-2",
				"courier.node.a.x.0");
		assertThat(queues.name(1)).isEqualTo("courier.node.a.x.1-2");
		assertThat(queues.isReady(1)).isTrue();
		assertThat(queues.name(0)).as("untouched").isEqualTo("courier.node.a.x.0");
	}

}
