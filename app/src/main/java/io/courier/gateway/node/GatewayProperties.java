package io.courier.gateway.node;

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
 * @param allowedOrigins origin patterns (Spring's {@code allowedOriginPatterns} syntax)
 * accepted on the WebSocket and SockJS handshakes; any other Origin gets HTTP 403
 * @param relay where and how the gateway reaches RabbitMQ's STOMP plugin
 * @param clientHeartbeat heart-beats the node negotiates with STOMP clients (multiplexed
 * relay)
 */
@Validated
@ConfigurationProperties("courier")
public record GatewayProperties(@Nullable String nodeId, @DefaultValue( {
		"http://localhost:[*]", "http://127.0.0.1:[*]" }) @NotEmpty List<String> allowedOrigins,
		@DefaultValue @Valid @NotNull Relay relay, @DefaultValue @Valid @NotNull ClientHeartbeat clientHeartbeat){

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
	 * The broker relay: RabbitMQ's STOMP port and the gateway's own broker credentials
	 * (never a client's).
	 *
	 * @param host RabbitMQ STOMP host
	 * @param port RabbitMQ STOMP port
	 * @param virtualHost RabbitMQ virtual host, sent as the STOMP {@code host} header
	 * @param login broker user of every broker connection (the pool's and the sessions'
	 * own; Spring's client and system sessions with {@code engine=spring})
	 * @param passcode that user's password
	 * @param heartbeat heart-beat interval of each broker connection, both ways
	 * @param engine {@code multiplexed} (Courier's relay: a few broker connections per
	 * node, one broker subscription per topic per node) or {@code spring} (Spring's stock
	 * relay: a broker connection per client session; kept for comparison)
	 * @param connections broker connections per node (multiplexed relay)
	 * @param addresses RabbitMQ STOMP listeners as {@code host:port}, tried in turn when
	 * a connection fails (multiplexed relay); empty means {@code host:port}
	 * @param reconnectDelay first delay before a lost broker connection reconnects;
	 * doubles on each failure
	 * @param maxReconnectDelay longest delay between reconnect attempts
	 * @param nodeQueues queues this node receives every topic and user destination
	 * through (multiplexed relay): each is consumed on one broker connection and bound
	 * with the keys the node's sessions subscribe to, so RabbitMQ holds a few queues per
	 * node whatever the number of sessions; {@code 0}: a broker subscription (and queue)
	 * per destination per node, as before. At most {@code connections}
	 */
	public record Relay(@DefaultValue("127.0.0.1") @NotBlank String host,
			@DefaultValue("61613") @Min(1) @Max(65535) int port, @DefaultValue("courier") @NotBlank String virtualHost,
			@DefaultValue("courier-relay") @NotBlank String login,
			@DefaultValue("courier-relay") @NotBlank String passcode, @DefaultValue("10s") @NotNull Duration heartbeat,
			@DefaultValue("multiplexed") @NotNull Engine engine, @DefaultValue("4") @Min(1) @Max(64) int connections,
			@DefaultValue List<String> addresses, @DefaultValue("1s") @NotNull Duration reconnectDelay,
			@DefaultValue("5s") @NotNull Duration maxReconnectDelay,
			@DefaultValue("2") @Min(0) @Max(64) int nodeQueues) {

		/** The broker addresses, {@code host:port} when none are listed. */
		public List<String> brokerAddresses() {
			return this.addresses.isEmpty() ? List.of(this.host + ":" + this.port) : this.addresses;
		}

	}

	/** Which relay carries {@code /topic} and {@code /queue} frames to RabbitMQ. */
	public enum Engine {

		/** Courier's multiplexed relay. */
		MULTIPLEXED,

		/** Spring's {@code StompBrokerRelayMessageHandler}. */
		SPRING

	}

	/**
	 * Heart-beats with STOMP clients, as the node offers them in CONNECTED; the larger of
	 * the node's and the client's value applies, 0 turns a direction off. A client silent
	 * for 1.5 times the negotiated interval gets ERROR {@code heart-beat timeout} and is
	 * closed (so it goes offline within two intervals).
	 *
	 * @param send how often the node sends to an idle client
	 * @param receive how often the node expects a frame from the client
	 */
	public record ClientHeartbeat(@DefaultValue("10s") @NotNull Duration send,
			@DefaultValue("10s") @NotNull Duration receive) {
	}

}
