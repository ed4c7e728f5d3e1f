package io.courier.gateway.orders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rabbitmq/definitions.json} declares the order queues as the gateway does: a
 * broker that imported it and a gateway that declares them must agree, or the gateway's
 * declaration is refused.
 */
class OrderTopologyDefinitionsTests {

	@Test
	void definitionsDeclareTheOrderQueuesWithTheGatewaysArguments() throws Exception {
		JsonNode queues = definitions().path("queues");
		for (DurableQueue queue : new DurableQueue[] { OrderAmqpConfiguration.EVENTS,
				OrderAmqpConfiguration.DEAD_LETTERS }) {
			JsonNode defined = null;
			for (JsonNode candidate : queues) {
				if (candidate.path("name").asString().equals(queue.name())) {
					defined = candidate;
				}
			}
			assertThat(defined).as(queue.name() + " in definitions.json").isNotNull();
			assertThat(defined.path("durable").asBoolean()).isTrue();
			Map<String, Object> arguments = JsonMapper.builder()
				.build()
				.convertValue(defined.path("arguments"), Map.class);
			assertThat(arguments).as(queue.name()).containsExactlyInAnyOrderEntriesOf(queue.declaredArguments());
		}
	}

	private static JsonNode definitions() throws Exception {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path file = dir.resolve("rabbitmq/definitions.json");
			if (Files.isRegularFile(file)) {
				return JsonMapper.builder().build().readTree(Files.readString(file));
			}
		}
		throw new IllegalStateException("rabbitmq/definitions.json not found above " + Path.of("").toAbsolutePath());
	}

}
