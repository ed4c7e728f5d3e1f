package io.courier.admin.limits;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;

/**
 * The global limits as an operator submits them, with the version the form showed (a
 * change made meanwhile by someone else is not overwritten blindly).
 */
record GlobalLimitsForm(@NotNull @DecimalMin("0.1") @DecimalMax("10000") @Nullable Double frameRate,
		@NotNull @Min(1) @Max(100000) @Nullable Integer frameBurst,
		@NotNull @Min(1) @Max(10000) @Nullable Integer sessionsPerUser,
		@NotNull @DecimalMin("0.1") @DecimalMax("10000") @Nullable Double handshakeRate,
		@NotNull @Min(1) @Max(100000) @Nullable Integer handshakeBurst, long version) {

	static GlobalLimitsForm of(LimitsDocument document) {
		LimitsDocument.Limits limits = document.limits();
		return new GlobalLimitsForm(limits.frameRate(), limits.frameBurst(), limits.sessionsPerUser(),
				limits.handshakeRate(), limits.handshakeBurst(), document.version());
	}

	@SuppressWarnings("NullAway") // validated @NotNull before use
	LimitsDocument.Limits limits() {
		return new LimitsDocument.Limits(this.frameRate, this.frameBurst, this.sessionsPerUser, this.handshakeRate,
				this.handshakeBurst);
	}

}
