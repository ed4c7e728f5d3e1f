package io.courier.admin.limits;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One user's override as an operator submits it; blank fields take the global value, at
 * least one is set.
 */
record OverrideForm(
		@NotBlank @Pattern(regexp = "[A-Za-z0-9@._:-]{1,128}",
				message = "letters, digits and @ . _ : - only, up to 128") @Nullable String user,
		@DecimalMin("0.1") @DecimalMax("10000") @Nullable Double frameRate,
		@Min(1) @Max(100000) @Nullable Integer frameBurst, @Min(1) @Max(10000) @Nullable Integer sessionsPerUser,
		long version) {

	@AssertTrue(message = "set at least one of frame rate, frame burst, sessions per user")
	boolean isAnySet() {
		return this.frameRate != null || this.frameBurst != null || this.sessionsPerUser != null;
	}

	LimitsDocument.Override override() {
		return new LimitsDocument.Override(this.frameRate, this.frameBurst, this.sessionsPerUser);
	}

}
