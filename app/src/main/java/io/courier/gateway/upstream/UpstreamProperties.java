package io.courier.gateway.upstream;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Client SENDs to {@code /app/...}, published for backend services.
 *
 * @param enabled whether {@code /app/...} SENDs are published to {@code exchange}; off,
 * they go to the application's {@code @MessageMapping} handlers only (for those who embed
 * the gateway)
 * @param exchange the durable topic exchange they are published to, declared by the
 * gateway
 * @param confirmTimeout how long the gateway waits for RabbitMQ's confirm before the
 * client gets an ERROR
 */
@Validated
@ConfigurationProperties("courier.upstream")
public record UpstreamProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("courier.inbound") @NotBlank String exchange,
		@DefaultValue("5s") @NotNull Duration confirmTimeout) {

	/** The destination prefix whose SENDs go upstream. */
	public static final String PREFIX = "/app/";

}
