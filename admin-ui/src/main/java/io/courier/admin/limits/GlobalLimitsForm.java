package io.courier.admin.limits;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import io.courier.contract.LimitsDocument;
import io.courier.contract.LimitsDocument.Burst;
import io.courier.contract.LimitsDocument.Rate;
import io.courier.contract.LimitsDocument.SessionsPerUser;

/**
 * The global limits as an operator submits them, with the version the form showed (a
 * change made meanwhile by someone else is not overwritten blindly). Each field has the
 * contract's constraint ({@link LimitsDocument}), and all are required: the console
 * always publishes the whole set.
 */
record GlobalLimitsForm(@NotNull @Rate @Nullable Double frameRate, @NotNull @Burst @Nullable Integer frameBurst,
		@NotNull @SessionsPerUser @Nullable Integer sessionsPerUser, @NotNull @Rate @Nullable Double handshakeRate,
		@NotNull @Burst @Nullable Integer handshakeBurst, long version) {

	static GlobalLimitsForm of(LimitsDocument document) {
		LimitsDocument.Limits limits = document.limits();
		return (limits != null)
				? new GlobalLimitsForm(limits.frameRate(), limits.frameBurst(), limits.sessionsPerUser(),
						limits.handshakeRate(), limits.handshakeBurst(), document.version())
				: new GlobalLimitsForm(null, null, null, null, null, document.version());
	}

	LimitsDocument.Limits limits() {
		return new LimitsDocument.Limits(this.frameRate, this.frameBurst, this.sessionsPerUser, this.handshakeRate,
				this.handshakeBurst);
	}

}
