package io.courier.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's outcome for one target: ordered metrics, printed as one {@code RESULT
 * {json}} line. Every result has {@code delivered} (what the scenario counts as done:
 * messages delivered, sessions alive, CONNECTs accepted) and {@code errors}.
 */
final class Result {

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

	String toJson() {
		StringBuilder json = new StringBuilder("{");
		for (Map.Entry<String, Object> entry : this.metrics.entrySet()) {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append('"').append(entry.getKey()).append("\":").append(value(entry.getValue()));
		}
		return json.append('}').toString();
	}

	private static String value(Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Double d) {
			return (d.isNaN() || d.isInfinite()) ? "null" : String.format(Locale.ROOT, "%.3f", d);
		}
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		if (value instanceof Iterable<?> list) {
			StringBuilder out = new StringBuilder("[");
			for (Object item : list) {
				out.append((out.length() > 1) ? "," : "").append(value(item));
			}
			return out.append(']').toString();
		}
		return '"' + value.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
	}

}
