package io.courier.gateway.relay;

import java.util.function.Consumer;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.tcp.TcpConnection;

/**
 * The STOMP login of a broker connection: the CONNECT frame (the gateway's credentials,
 * its virtual host, STOMP 1.2, the heart-beats it offers) and the heart-beats agreed from
 * the broker's CONNECTED — the node writes one when it has sent nothing for the agreed
 * interval, and counts the connection as lost when the broker has sent nothing for three.
 */
final class BrokerLogin {

	private static final Message<byte[]> HEARTBEAT;

	static {
		StompHeaderAccessor accessor = StompHeaderAccessor.createForHeartbeat();
		HEARTBEAT = MessageBuilder.createMessage(new byte[] { '\n' }, accessor.getMessageHeaders());
	}

	private final RelaySettings settings;

	BrokerLogin(RelaySettings settings) {
		this.settings = settings;
	}

	Message<byte[]> connectFrame() {
		long heartbeat = this.settings.brokerHeartbeat().toMillis();
		StompHeaderAccessor connect = StompHeaderAccessor.create(StompCommand.CONNECT);
		connect.setAcceptVersion("1.2");
		connect.setHost(this.settings.virtualHost());
		connect.setLogin(this.settings.login());
		connect.setPasscode(this.settings.passcode());
		connect.setHeartbeat(heartbeat, heartbeat);
		return Frames.empty(connect);
	}

	/**
	 * Sets up the heart-beats agreed in {@code connected}; {@code silent} hears why the
	 * broker counts as gone.
	 */
	void agreeHeartbeats(TcpConnection<byte[]> connection, StompHeaderAccessor connected, Consumer<String> silent) {
		long ours = this.settings.brokerHeartbeat().toMillis();
		long[] theirs = connected.getHeartbeat();
		if (ours > 0 && theirs[1] > 0) {
			long interval = Math.max(ours, theirs[1]);
			connection.onWriteInactivity(() -> connection.sendAsync(HEARTBEAT), interval);
		}
		if (ours > 0 && theirs[0] > 0) {
			long interval = Math.max(ours, theirs[0]) * 3;
			connection.onReadInactivity(() -> silent.accept("No messages received in " + interval + " ms."), interval);
		}
	}

}
