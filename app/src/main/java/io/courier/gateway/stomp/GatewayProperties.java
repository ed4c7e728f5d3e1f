package io.courier.gateway.stomp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's STOMP endpoints and its relay to RabbitMQ's STOMP plugin.
 *
 * @param nodeId this gateway node's id, unique in the cluster; defaults to the host name
 * @param allowedOrigins origin patterns (Spring's {@code allowedOriginPatterns} syntax) accepted on the WebSocket
 * and SockJS handshakes; any other Origin gets HTTP 403
 * @param relay where and how the gateway reaches RabbitMQ's STOMP plugin
 */
@Validated
@ConfigurationProperties("courier")
public record GatewayProperties(@Nullable String nodeId,
		@DefaultValue({ "http://localhost:[*]", "http://127.0.0.1:[*]" }) @NotEmpty List<String> allowedOrigins,
		@DefaultValue @Valid @NotNull Relay relay) {

	public GatewayProperties {
		if (nodeId == null || nodeId.isBlank()) {
			nodeId = defaultNodeId();
		}
	}

	private static String defaultNodeId() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "courier-" + ProcessHandle.current().pid();
		}
	}

	/**
	 * The broker relay: RabbitMQ's STOMP port and the gateway's own broker credentials (never a client's).
	 *
	 * @param host RabbitMQ STOMP host
	 * @param port RabbitMQ STOMP port
	 * @param virtualHost RabbitMQ virtual host, sent as the STOMP {@code host} header
	 * @param login broker user for client and system sessions
	 * @param passcode that user's password
	 * @param heartbeat heart-beat interval of the relay's system session, both ways
	 */
	public record Relay(@DefaultValue("127.0.0.1") @NotBlank String host,
			@DefaultValue("61613") @Min(1) @Max(65535) int port, @DefaultValue("courier") @NotBlank String virtualHost,
			@DefaultValue("courier-gateway") @NotBlank String login,
			@DefaultValue("courier-gateway") @NotBlank String passcode,
			@DefaultValue("10s") @NotNull Duration heartbeat) {
	}

}
