package io.courier.gateway.presence;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cluster-wide presence.
 *
 * @param heartbeat how often each node announces itself on {@code courier.cluster}
 * @param expiryHeartbeats heart-beats a node may miss before its sessions are taken as
 * gone (a killed node)
 */
@Validated
@ConfigurationProperties("courier.presence")
public record PresenceProperties(@DefaultValue("5s") @NotNull Duration heartbeat,
		@DefaultValue("3") @Min(2) int expiryHeartbeats) {

	Duration expiry() {
		return this.heartbeat.multipliedBy(this.expiryHeartbeats);
	}

}
