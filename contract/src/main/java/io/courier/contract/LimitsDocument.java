package io.courier.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * The limits in force across the cluster, as one document: the global limits and every
 * per-user override. The console publishes it as {@code limits.changed} on
 * {@code courier.cluster}; the stream {@value #STREAM}, bound with that key, keeps it for
 * nodes that start later. The highest {@code version} wins. An absent global field means
 * each node's {@code courier.limits.*} property; an absent override field means the
 * global value.
 *
 * <p>
 * The constraints here are the one rule for a document: a gateway refuses a document that
 * breaks any of them (whole, naming each field: {@link #problems(Validator)}), the
 * console takes none as current and its forms check the same annotations ({@link Rate},
 * {@link Burst}, {@link SessionsPerUser}).
 *
 * @param type {@value #TYPE}
 * @param version increases by one with each change; 0 is no document yet (each node's
 * properties)
 * @param at when it was changed
 * @param changedBy who changed it
 * @param limits the global limits; required (the document is always the whole set)
 * @param overrides limits of particular users, by user name ({@code sub}); absent or
 * {@code null} is none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitsDocument(@Nullable String type, @Min(value = 1, message = "must be at least 1") long version,
		@Nullable Instant at, @Nullable String changedBy,
		@NotNull(message = "is missing (the document is always the whole set)") @Valid @Nullable Limits limits,
		Map<String, @NotNull(message = "is null") @Valid UserLimits> overrides) {

	/** The routing key and {@code type}. */
	public static final String TYPE = "limits.changed";

	/**
	 * The durable stream that keeps every document, bound to {@code courier.cluster} with
	 * {@value #TYPE}.
	 */
	public static final String STREAM = "courier.limits";

	/** Frames or handshakes per second: at least this. */
	public static final String RATE_MIN = "0.1";

	/** Frames or handshakes per second: at most this. */
	public static final String RATE_MAX = "10000";

	/** Frames or handshakes at once above the rate: at most this (at least 1). */
	public static final int BURST_MAX = 100_000;

	/** Sessions one user may hold in the cluster: at most this (at least 1). */
	public static final int SESSIONS_PER_USER_MAX = 10_000;

	/** Overrides sorted by user, never null, unmodifiable. */
	public LimitsDocument {
		SortedMap<String, UserLimits> sorted = new TreeMap<>();
		if (overrides != null) {
			sorted.putAll(overrides);
		}
		overrides = Collections.unmodifiableSortedMap(sorted);
	}

	/**
	 * What is wrong with this document, each naming its field, e.g.
	 * {@code limits.frameRate must be between 0.1 and 10000, was 0.05}; sorted; empty if
	 * it may be applied.
	 */
	public List<String> problems(Validator validator) {
		return validator.validate(this).stream().map(LimitsDocument::describe).sorted().toList();
	}

	private static String describe(ConstraintViolation<LimitsDocument> violation) {
		Object value = violation.getInvalidValue();
		return field(violation.getPropertyPath()) + " " + violation.getMessage()
				+ ((value != null) ? ", was " + value : "");
	}

	/**
	 * {@code limits.frameRate}, {@code overrides.bob.frameRate}, {@code overrides.bob}.
	 */
	private static String field(Path path) {
		StringBuilder field = new StringBuilder();
		for (Path.Node node : path) {
			if (node.getKey() != null) {
				field.append('.').append(node.getKey());
			}
			if (node.getKind() == ElementKind.PROPERTY) {
				field.append((field.length() > 0) ? "." : "").append(node.getName());
			}
		}
		return field.toString();
	}

	/**
	 * Global limits, any field of which may be absent: frame rate and burst (per
	 * session), sessions per user (cluster-wide), handshake rate and burst (per remote
	 * address). The frame size is fixed at a node's start and not part of the document.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Limits(@Rate @Nullable Double frameRate, @Burst @Nullable Integer frameBurst,
			@SessionsPerUser @Nullable Integer sessionsPerUser, @Rate @Nullable Double handshakeRate,
			@Burst @Nullable Integer handshakeBurst) {

		/** These limits, with each absent field taken from {@code fallback}. */
		public Limits or(Limits fallback) {
			return new Limits(first(this.frameRate, fallback.frameRate), first(this.frameBurst, fallback.frameBurst),
					first(this.sessionsPerUser, fallback.sessionsPerUser),
					first(this.handshakeRate, fallback.handshakeRate),
					first(this.handshakeBurst, fallback.handshakeBurst));
		}

		private static <T> @Nullable T first(@Nullable T value, @Nullable T fallback) {
			return (value != null) ? value : fallback;
		}

	}

	/** One user's limits; an absent field takes the global value. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record UserLimits(@Rate @Nullable Double frameRate, @Burst @Nullable Integer frameBurst,
			@SessionsPerUser @Nullable Integer sessionsPerUser) {
	}

	/**
	 * A frame or handshake rate, per second: {@value #RATE_MIN} to {@value #RATE_MAX};
	 * null is valid.
	 */
	@Documented
	@Target({ FIELD, PARAMETER, ANNOTATION_TYPE })
	@Retention(RUNTIME)
	@Constraint(validatedBy = {})
	@ReportAsSingleViolation
	@DecimalMin(RATE_MIN)
	@DecimalMax(RATE_MAX)
	public @interface Rate {

		String message() default "must be between " + RATE_MIN + " and " + RATE_MAX;

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	/**
	 * A burst, frames or handshakes at once above the rate: 1 to {@value #BURST_MAX};
	 * null is valid.
	 */
	@Documented
	@Target({ FIELD, PARAMETER, ANNOTATION_TYPE })
	@Retention(RUNTIME)
	@Constraint(validatedBy = {})
	@ReportAsSingleViolation
	@Min(1)
	@Max(BURST_MAX)
	public @interface Burst {

		String message() default "must be between 1 and " + BURST_MAX;

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	/**
	 * Sessions one user may hold across the cluster: 1 to
	 * {@value #SESSIONS_PER_USER_MAX}; null is valid.
	 */
	@Documented
	@Target({ FIELD, PARAMETER, ANNOTATION_TYPE })
	@Retention(RUNTIME)
	@Constraint(validatedBy = {})
	@ReportAsSingleViolation
	@Min(1)
	@Max(SESSIONS_PER_USER_MAX)
	public @interface SessionsPerUser {

		String message() default "must be between 1 and " + SESSIONS_PER_USER_MAX;

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

}
