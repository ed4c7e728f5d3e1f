package io.courier.admin.limits;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The limits in force across the cluster, as one document ({@code limits.changed} on
 * {@code courier.cluster}, kept in the stream {@code courier.limits}): the global limits
 * and every per-user override. The highest version wins.
 *
 * @param type always {@code limits.changed}
 * @param version increases by one with each change; 0 = no document yet (each node's
 * {@code courier.limits.*})
 * @param at when it was changed
 * @param changedBy the operator who changed it
 * @param limits the global limits
 * @param overrides per-user overrides, by user name; an absent field of an override means
 * the global value
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitsDocument(String type, long version, @Nullable Instant at, @Nullable String changedBy, Limits limits,
		Map<String, Override> overrides) {

	public LimitsDocument {
		overrides = new TreeMap<>((overrides != null) ? overrides : Map.of());
	}

	/** The next version of this document, by {@code operator}. */
	LimitsDocument next(Limits limits, Map<String, Override> overrides, String operator, Instant now) {
		return new LimitsDocument("limits.changed", this.version + 1, now, operator, limits, overrides);
	}

	/**
	 * Global limits: frame rate and burst (per session), sessions per user
	 * (cluster-wide), handshake rate and burst (per remote address). The frame size is
	 * fixed at a node's start and not part of the document.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Limits(double frameRate, int frameBurst, int sessionsPerUser, double handshakeRate,
			int handshakeBurst) {
	}

	/** One user's overrides; null fields take the global value. */
	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Override(@Nullable Double frameRate, @Nullable Integer frameBurst,
			@Nullable Integer sessionsPerUser) {
	}

}
