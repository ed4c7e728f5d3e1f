package io.courier.admin.limits;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.courier.contract.LimitsDocument.Limits;

/**
 * The limits the console shows while no document exists in {@code courier.limits}
 * (version 0), and for the global fields a document leaves out: the gateways' defaults
 * unless the gateways were started with other {@code courier.limits.*} values, in which
 * case set the same here.
 */
@Validated
@ConfigurationProperties("courier.admin.default-limits")
public record LimitsProperties(@DefaultValue("50") @DecimalMin("0.1") double frameRate,
		@DefaultValue("100") @Min(1) int frameBurst, @DefaultValue("20") @Min(1) int sessionsPerUser,
		@DefaultValue("20") @DecimalMin("0.1") double handshakeRate, @DefaultValue("40") @Min(1) int handshakeBurst) {

	Limits limits() {
		return new Limits(this.frameRate, this.frameBurst, this.sessionsPerUser, this.handshakeRate,
				this.handshakeBurst);
	}

}
