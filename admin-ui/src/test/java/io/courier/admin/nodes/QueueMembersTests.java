package io.courier.admin.nodes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queue members from {@code /api/queues/<vhost>}, including the answer RabbitMQ 3.10.8
 * gave on the local cluster after {@code rabbitmq-queues shrink courier-3@localhost}
 * (copied from it): {@code members} twice for the queue with a consumer, the second still
 * naming the removed node.
 */
class QueueMembersTests {

	private static final String AFTER_SHRINK = """
			[{"name":"amq.gen--N6TCrrsa0WwFj65VSo71Q","type":"classic"},\
			{"members":["courier-1@localhost","courier-2@localhost","courier-3@localhost"],\
			"name":"courier.history","type":"stream"},\
			{"members":["courier-2@localhost","courier-1@localhost"],\
			"members":["courier-3@localhost","courier-2@localhost","courier-1@localhost"],\
			"name":"courier.order-events","type":"quorum"},\
			{"members":["courier-2@localhost","courier-1@localhost"],"name":"courier.order-events.dlq",\
			"type":"quorum","message_stats":{"publish_details":{"rate":0.0}}}]""";

	@Test
	void aNodeIsAMemberOnlyIfEveryListOfTheQueueNamesIt() {
		assertThat(QueueMembers.of(AFTER_SHRINK)).containsOnlyKeys("courier.history", "courier.order-events",
				"courier.order-events.dlq");
		assertThat(QueueMembers.of(AFTER_SHRINK).get("courier.order-events"))
			.containsExactlyInAnyOrder("courier-1@localhost", "courier-2@localhost");
		assertThat(QueueMembers.of(AFTER_SHRINK).get("courier.order-events.dlq"))
			.containsExactlyInAnyOrder("courier-1@localhost", "courier-2@localhost");
		assertThat(QueueMembers.of(AFTER_SHRINK).get("courier.history")).hasSize(3);
	}

	@Test
	void whatIsNotANodeNameInMembersIsSkippedAndTheNextQueuesStillRead() {
		assertThat(QueueMembers.of("""
				[{"name":"a","members":["n1",null,{"x":[1]},["n9"],"n2"]},{"name":"b","members":["n3"]}]"""))
			.containsEntry("a", java.util.List.of("n1", "n2"))
			.containsEntry("b", java.util.List.of("n3"));
	}

	@Test
	void notAnArrayGivesNothing() {
		assertThat(QueueMembers.of("{\"error\":\"not_authorised\"}")).isEmpty();
	}

}
