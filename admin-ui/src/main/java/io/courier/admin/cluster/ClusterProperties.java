package io.courier.admin.cluster;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the console follows {@code courier.cluster}.
 *
 * @param nodeExpiry a node silent this long is shown as gone, with its sessions (the
 * gateways' own rule: {@code expiry-heartbeats} x {@code heartbeat}, 3 x 5 s)
 * @param controlTimeout how long a request ({@code control.*}) waits for the nodes'
 * replies
 * @param history how many recent presence changes, limit hits and audit entries the
 * console keeps in memory
 */
@Validated
@ConfigurationProperties("courier.admin.cluster")
public record ClusterProperties(@DefaultValue("15s") @NotNull Duration nodeExpiry,
		@DefaultValue("2s") @NotNull Duration controlTimeout, @DefaultValue("200") @Min(10) @Max(10000) int history) {
}
