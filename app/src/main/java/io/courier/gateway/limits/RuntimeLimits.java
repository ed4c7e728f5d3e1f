package io.courier.gateway.limits;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.courier.contract.LimitsDocument;
import io.courier.contract.LimitsDocument.Limits;
import io.courier.contract.LimitsDocument.UserLimits;

/**
 * The limits in force on this node, which every limiter reads: the
 * {@code courier.limits.*} properties (version 0) until a newer {@link LimitsDocument} is
 * applied. Limiters that keep state (token buckets) register to hear of a change and
 * apply it to what they hold. Frame size is fixed at start and not here.
 */
@Component
public class RuntimeLimits {

	/**
	 * The limits of one version, resolved: no absent values left, except in overrides.
	 */
	record InForce(long version, @Nullable Instant at, @Nullable String changedBy, double frameRate, int frameBurst,
			int sessionsPerUser, double handshakeRate, int handshakeBurst, Map<String, UserLimits> overrides) {
	}

	/** The properties as a document's global limits: what an absent field means. */
	private final Limits properties;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	private volatile InForce current;

	RuntimeLimits(LimitsProperties properties) {
		this.properties = new Limits(properties.frameRate(), properties.frameBurst(), properties.sessionsPerUser(),
				properties.handshakeRate(), properties.handshakeBurst());
		this.current = inForce(0, null, null, this.properties, Map.of());
	}

	/** The version in force: 0 for the properties. */
	public long version() {
		return this.current.version();
	}

	InForce current() {
		return this.current;
	}

	double frameRate(String user) {
		UserLimits override = this.current.overrides().get(user);
		return (override != null && override.frameRate() != null) ? override.frameRate() : this.current.frameRate();
	}

	int frameBurst(String user) {
		UserLimits override = this.current.overrides().get(user);
		return (override != null && override.frameBurst() != null) ? override.frameBurst() : this.current.frameBurst();
	}

	int sessionsPerUser(String user) {
		UserLimits override = this.current.overrides().get(user);
		return (override != null && override.sessionsPerUser() != null) ? override.sessionsPerUser()
				: this.current.sessionsPerUser();
	}

	double handshakeRate() {
		return this.current.handshakeRate();
	}

	int handshakeBurst() {
		return this.current.handshakeBurst();
	}

	/** {@code listener} runs after each change, on the thread that applied it. */
	void onChange(Runnable listener) {
		this.listeners.add(listener);
	}

	/**
	 * Puts {@code document} in force if it is newer than the limits in force; the caller
	 * has validated it.
	 * @return whether it was applied
	 */
	boolean apply(LimitsDocument document) {
		synchronized (this) {
			if (document.version() <= this.current.version()) {
				return false;
			}
			Limits limits = (document.limits() != null) ? document.limits().or(this.properties) : this.properties;
			this.current = inForce(document.version(), document.at(), document.changedBy(), limits,
					Map.copyOf(document.overrides()));
		}
		this.listeners.forEach(Runnable::run);
		return true;
	}

	@SuppressWarnings("NullAway") // resolved against the properties: every field is set
	private static InForce inForce(long version, @Nullable Instant at, @Nullable String changedBy, Limits limits,
			Map<String, UserLimits> overrides) {
		return new InForce(version, at, changedBy, limits.frameRate(), limits.frameBurst(), limits.sessionsPerUser(),
				limits.handshakeRate(), limits.handshakeBurst(), overrides);
	}

}
