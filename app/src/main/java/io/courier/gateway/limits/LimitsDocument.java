package io.courier.gateway.limits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A {@code limits.changed} message: the whole set of runtime limits, global and per user,
 * as the console publishes it on {@code courier.cluster}. The highest {@code version}
 * wins. An absent global field means the {@code courier.limits.*} property; an absent
 * override field means the global value.
 *
 * @param type {@code limits.changed}
 * @param version increases with each change; 0 is the properties
 * @param at when it was changed
 * @param changedBy who changed it
 * @param limits the global limits
 * @param overrides limits of particular users, by user name ({@code sub})
 */
record LimitsDocument(@Nullable String type, long version, @Nullable Instant at, @Nullable String changedBy,
		@Nullable Limits limits, @Nullable Map<String, UserLimits> overrides) {

	static final String ROUTING_KEY = "limits.changed";

	/** Global limits; any field may be absent. */
	record Limits(@Nullable Double frameRate, @Nullable Integer frameBurst, @Nullable Integer sessionsPerUser,
			@Nullable Double handshakeRate, @Nullable Integer handshakeBurst) {
	}

	/** One user's limits; any field may be absent. */
	record UserLimits(@Nullable Double frameRate, @Nullable Integer frameBurst, @Nullable Integer sessionsPerUser) {
	}

	/**
	 * What is wrong with this document, each naming the field; empty if it may be
	 * applied.
	 */
	List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (this.version < 1) {
			problems.add("version must be at least 1, was " + this.version);
		}
		if (this.limits == null) {
			problems.add("limits is missing (the document is always the whole set)");
		}
		else {
			positive(problems, "limits.frameRate", this.limits.frameRate());
			atLeastOne(problems, "limits.frameBurst", this.limits.frameBurst());
			atLeastOne(problems, "limits.sessionsPerUser", this.limits.sessionsPerUser());
			positive(problems, "limits.handshakeRate", this.limits.handshakeRate());
			atLeastOne(problems, "limits.handshakeBurst", this.limits.handshakeBurst());
		}
		if (this.overrides != null) {
			this.overrides.forEach((user, override) -> {
				String prefix = "overrides." + user + ".";
				if (override == null) {
					problems.add(prefix.substring(0, prefix.length() - 1) + " is null");
					return;
				}
				positive(problems, prefix + "frameRate", override.frameRate());
				atLeastOne(problems, prefix + "frameBurst", override.frameBurst());
				atLeastOne(problems, prefix + "sessionsPerUser", override.sessionsPerUser());
			});
		}
		return problems;
	}

	private static void positive(List<String> problems, String field, @Nullable Double value) {
		if (value != null && !(value > 0 && Double.isFinite(value))) {
			problems.add(field + " must be greater than 0, was " + value);
		}
	}

	private static void atLeastOne(List<String> problems, String field, @Nullable Integer value) {
		if (value != null && value < 1) {
			problems.add(field + " must be at least 1, was " + value);
		}
	}

}
