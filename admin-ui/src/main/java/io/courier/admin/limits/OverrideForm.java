package io.courier.admin.limits;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import io.courier.contract.LimitsDocument.Burst;
import io.courier.contract.LimitsDocument.Rate;
import io.courier.contract.LimitsDocument.SessionsPerUser;
import io.courier.contract.LimitsDocument.UserLimits;

/**
 * One user's override as an operator submits it; blank fields take the global value, at
 * least one is set. The limits have the contract's constraints; the user name's pattern
 * is the console's own.
 */
record OverrideForm(
		@NotBlank @Pattern(regexp = "[A-Za-z0-9@._:-]{1,128}",
				message = "letters, digits and @ . _ : - only, up to 128") @Nullable String user,
		@Rate @Nullable Double frameRate, @Burst @Nullable Integer frameBurst,
		@SessionsPerUser @Nullable Integer sessionsPerUser, long version) {

	@AssertTrue(message = "set at least one of frame rate, frame burst, sessions per user")
	boolean isAnySet() {
		return this.frameRate != null || this.frameBurst != null || this.sessionsPerUser != null;
	}

	UserLimits override() {
		return new UserLimits(this.frameRate, this.frameBurst, this.sessionsPerUser);
	}

}
