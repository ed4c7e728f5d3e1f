package io.courier.admin.nodes;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * RabbitMQ's management HTTP API, read with a read-only ({@code monitoring}) user.
 *
 * @param url the management API's base URL
 * @param username a user with the {@code monitoring} tag
 * @param password its password
 * @param virtualHost the vhost whose queues the overview lists (the gateways' vhost)
 * @param refresh how often the console reads the API
 */
@Validated
@ConfigurationProperties("courier.admin.broker")
public record BrokerProperties(@DefaultValue("http://127.0.0.1:15672") @NotNull URI url,
		@DefaultValue("courier-admin") @NotBlank String username, @DefaultValue("courier-admin") String password,
		@DefaultValue("courier") @NotBlank String virtualHost, @DefaultValue("5s") @NotNull Duration refresh) {
}
