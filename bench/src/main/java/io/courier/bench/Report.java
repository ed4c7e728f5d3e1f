package io.courier.bench;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints the results of one scenario side by side (one column per target), the
 * Courier/direct ratio of every numeric metric both have, and then one {@code RESULT}
 * JSON line per target.
 */
final class Report {

	/** Inputs, not measurements: no ratio. */
	private static final Set<String> SETTINGS = Set.of("subscribers", "rate", "duration_s", "sessions", "hold_s",
			"concurrency", "users", "events", "expected", "published", "round", "rounds");

	private Report() {
	}

	static void print(PrintStream out, String title, List<Result> results) {
		Set<String> names = new LinkedHashSet<>();
		results.forEach((r) -> names.addAll(r.metrics.keySet()));
		names.remove("scenario");
		names.remove("target");
		Result courier = find(results, Target.COURIER);
		Result direct = find(results, Target.DIRECT);
		boolean ratio = courier != null && direct != null;
		out.println();
		out.println("== " + title);
		StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-30s", "metric"));
		results.forEach((r) -> header.append(String.format(Locale.ROOT, " %14s", r.target.label())));
		if (ratio) {
			header.append(String.format(Locale.ROOT, " %14s", "courier/direct"));
		}
		out.println(header);
		for (String name : names) {
			StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-30s", name));
			for (Result r : results) {
				row.append(String.format(Locale.ROOT, " %14s", cell(r.get(name))));
			}
			if (ratio && !SETTINGS.contains(name)) {
				row.append(String.format(Locale.ROOT, " %14s", ratio(courier.get(name), direct.get(name))));
			}
			out.println(row);
		}
		for (Result r : results) {
			out.println("RESULT " + r.toJson());
		}
		out.flush();
	}

	private static Result find(List<Result> results, Target target) {
		return results.stream().filter((r) -> r.target == target).findFirst().orElse(null);
	}

	private static String cell(Object value) {
		if (value == null) {
			return "-";
		}
		if (value instanceof Double d) {
			return d.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", d);
		}
		String text = value.toString();
		return (text.length() > 14) ? text.substring(0, 13) + "…" : text;
	}

	static String ratio(Object courier, Object direct) {
		if (!(courier instanceof Number c) || !(direct instanceof Number d)) {
			return "";
		}
		double dv = d.doubleValue();
		double cv = c.doubleValue();
		if (Double.isNaN(cv) || Double.isNaN(dv) || dv == 0) {
			return "";
		}
		return String.format(Locale.ROOT, "%.2fx", cv / dv);
	}

}
