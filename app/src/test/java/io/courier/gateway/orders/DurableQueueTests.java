package io.courier.gateway.orders;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;

class DurableQueueTests {

	@Test
	void declarableIsDurableSharedAndNamesItsType() {
		Queue queue = new DurableQueue("q", QueueType.QUORUM, Map.of("x-single-active-consumer", true)).declarable();
		assertThat(queue.isDurable()).isTrue();
		assertThat(queue.isExclusive()).isFalse();
		assertThat(queue.isAutoDelete()).isFalse();
		assertThat(queue.getArguments())
			.containsExactlyInAnyOrderEntriesOf(Map.of("x-queue-type", "quorum", "x-single-active-consumer", true));
	}

	@Test
	void aRefusedDeclarationDoesNotStopTheOthers() {
		assertThat(new DurableQueue("q", QueueType.CLASSIC, Map.of()).declarable().isIgnoreDeclarationExceptions())
			.isTrue();
	}

	@Test
	void argumentsAreCopied() {
		Map<String, Object> arguments = new HashMap<>(Map.of("x-overflow", "reject-publish"));
		DurableQueue queue = new DurableQueue("q", QueueType.QUORUM, arguments);
		arguments.put("x-max-length", 1);
		assertThat(queue.arguments()).containsOnlyKeys("x-overflow");
	}

	@Test
	void classicIsNamedAsRabbitMqNamesIt() {
		assertThat(new DurableQueue("q", QueueType.CLASSIC, Map.of()).declaredArguments()).containsEntry("x-queue-type",
				"classic");
	}

}
