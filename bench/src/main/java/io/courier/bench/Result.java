package io.courier.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One scenario's outcome for one target: ordered metrics, printed as one {@code RESULT
 * {json}} line. Every result has {@code delivered} (what the scenario counts as done:
 * messages delivered, sessions alive, CONNECTs accepted) and {@code errors}.
 */
final class Result {

	/** Decimals as written ({@code 1.500}), never in exponent notation. */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
		.build();

	final String scenario;

	final Target target;

	final Map<String, Object> metrics = new LinkedHashMap<>();

	Result(String scenario, Target target) {
		this.scenario = scenario;
		this.target = target;
		this.metrics.put("scenario", scenario);
		this.metrics.put("target", target.label());
	}

	Result put(String name, Object value) {
		this.metrics.put(name, value);
		return this;
	}

	Object get(String name) {
		return this.metrics.get(name);
	}

	/**
	 * The metrics as one JSON object, in order: a {@link Double} with three decimals
	 * ({@code null} if NaN or infinite), other numbers and booleans as they are, an
	 * {@link Iterable} as an array, anything else as its string. Jackson writes it, so
	 * any text (quotes, control characters) comes out escaped.
	 */
	String toJson() {
		ObjectNode json = JSON.createObjectNode();
		this.metrics.forEach((name, value) -> json.set(name, node(value)));
		return JSON.writeValueAsString(json);
	}

	private static JsonNode node(Object value) {
		JsonNodeFactory nodes = JSON.getNodeFactory();
		if (value == null) {
			return nodes.nullNode();
		}
		if (value instanceof Double d) {
			return (d.isNaN() || d.isInfinite()) ? nodes.nullNode()
					: nodes.numberNode(BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP));
		}
		if (value instanceof Number || value instanceof Boolean) {
			return JSON.valueToTree(value);
		}
		if (value instanceof Iterable<?> list) {
			ArrayNode array = nodes.arrayNode();
			list.forEach((item) -> array.add(node(item)));
			return array;
		}
		return nodes.stringNode(value.toString());
	}

}
