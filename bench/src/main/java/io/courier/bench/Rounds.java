package io.courier.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one measurement for every target, {@code --rounds N} times, the order alternating
 * from round to round (C D, D C, C D, ...: a machine that gets noisier or quieter during
 * the run weighs on both sides alike), and reports each round and then, for several
 * rounds, one column per target with the median of the rounds. Counts of things that went
 * wrong (lost, duplicated, out of order, errors, ...) are summed over the rounds, not
 * medianed: one round that lost messages must show.
 */
final class Rounds {

	/** Measurements no median may hide. */
	static final List<String> SUMMED = List.of("lost", "duplicated", "out_of_order", "errors", "connect_failures",
			"subscribe_failures", "closed_during_hold", "foreign_messages");

	@FunctionalInterface
	interface Measurement {

		Result run(Target target) throws Exception;

	}

	private Rounds() {
	}

	/**
	 * @param warmup run once per target before its first measured run, result dropped
	 * (null: none)
	 * @return the median results, one per target, in the targets' order
	 */
	static List<Result> run(BenchContext context, String title, Measurement measurement, Measurement warmup)
			throws Exception {
		List<Target> targets = context.options.targets();
		int rounds = context.options.integer("rounds", 1, 1, 20);
		Map<Target, List<Result>> byTarget = new LinkedHashMap<>();
		targets.forEach((target) -> byTarget.put(target, new ArrayList<>()));
		for (int round = 0; round < rounds; round++) {
			List<Target> order = new ArrayList<>(targets);
			if (round % 2 == 1) {
				java.util.Collections.reverse(order);
			}
			List<Result> results = new ArrayList<>();
			for (Target target : order) {
				if (round == 0 && warmup != null) {
					warmup.run(target);
				}
				Result result = measurement.run(target);
				if (rounds > 1) {
					result.put("round", round + 1);
				}
				byTarget.get(target).add(result);
				results.add(result);
			}
			Report.print(context.out, (rounds > 1) ? title + ", round " + (round + 1) + " of " + rounds : title,
					results);
		}
		List<Result> medians = new ArrayList<>();
		byTarget.values().forEach((results) -> medians.add(median(results)));
		if (rounds > 1) {
			Report.print(context.out,
					title + ", median of " + rounds + " rounds (" + String.join(", ", SUMMED) + ": summed)", medians);
		}
		return medians;
	}

	/**
	 * One result per metric: a value every round had as it is, else the median of the
	 * numbers, the sum for {@link #SUMMED}, or the last value.
	 */
	static Result median(List<Result> results) {
		Result first = results.get(0);
		if (results.size() == 1) {
			return first;
		}
		Result median = new Result(first.scenario, first.target);
		Set<String> names = new LinkedHashSet<>();
		results.forEach((r) -> names.addAll(r.metrics.keySet()));
		names.remove("scenario");
		names.remove("target");
		names.remove("round");
		for (String name : names) {
			List<Object> values = new ArrayList<>();
			results.forEach((r) -> values.add(r.get(name)));
			median.put(name, combine(name, values));
		}
		return median.put("rounds", results.size());
	}

	private static Object combine(String name, List<Object> values) {
		if (values.stream().distinct().count() == 1) {
			return values.get(0); // a setting, or the same count every round: as it is
		}
		if (values.stream().allMatch(Number.class::isInstance)) {
			double[] numbers = values.stream().mapToDouble((v) -> ((Number) v).doubleValue()).toArray();
			if (SUMMED.contains(name)) {
				double sum = Arrays.stream(numbers).sum();
				return values.stream().allMatch((v) -> v instanceof Integer || v instanceof Long) ? (Object) (long) sum
						: (Object) sum;
			}
			Arrays.sort(numbers);
			int middle = numbers.length / 2;
			return (numbers.length % 2 == 1) ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
		}
		Object last = null;
		for (Object value : values) {
			last = (value != null) ? value : last;
		}
		return last;
	}

}
