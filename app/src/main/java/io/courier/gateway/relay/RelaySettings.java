package io.courier.gateway.relay;

import java.time.Duration;
import java.util.List;

import org.springframework.util.Assert;

/**
 * What the multiplexed relay needs to know.
 *
 * @param addresses RabbitMQ STOMP listeners as {@code host:port}; a connection that fails
 * moves to the next
 * @param virtualHost RabbitMQ virtual host (STOMP {@code host} header)
 * @param login broker user of every connection
 * @param passcode its password
 * @param connections broker connections per node
 * @param brokerHeartbeat heart-beat interval with the broker, both ways
 * @param reconnectDelay first delay before reconnecting a lost connection; doubles up to
 * {@code maxReconnectDelay}
 * @param maxReconnectDelay longest delay between reconnect attempts
 * @param clientHeartbeatSend how often the node offers to send heart-beats to clients (0:
 * never)
 * @param clientHeartbeatReceive how often the node asks clients to send heart-beats (0:
 * never); a client silent for 1.5 times the negotiated interval gets ERROR
 * {@code heart-beat timeout} and is closed
 */
public record RelaySettings(List<String> addresses, String virtualHost, String login, String passcode, int connections,
		Duration brokerHeartbeat, Duration reconnectDelay, Duration maxReconnectDelay, Duration clientHeartbeatSend,
		Duration clientHeartbeatReceive) {

	public RelaySettings {
		Assert.notEmpty(addresses, "at least one broker address is required");
		for (String address : addresses) {
			int colon = address.lastIndexOf(':');
			Assert.isTrue(colon > 0 && colon < address.length() - 1,
					() -> "broker address '" + address + "' must be host:port");
		}
		Assert.isTrue(connections >= 1, "connections must be at least 1");
		addresses = List.copyOf(addresses);
	}

	static String host(String address) {
		return address.substring(0, address.lastIndexOf(':'));
	}

	static int port(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

}
