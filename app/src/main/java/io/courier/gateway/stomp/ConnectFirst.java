package io.courier.gateway.stomp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.SessionTerminator;

/**
 * A session's first frame must be CONNECT (or STOMP). Spring's STOMP handler, which keeps
 * each session's receive order from its CONNECT on, fails every frame that comes before
 * one with an internal error, one error log line and stack trace each: one WebSocket
 * message of a thousand SENDs wrote hundreds. Here, before Spring decodes anything, a
 * session whose first frame is something else gets one ERROR
 * ({@code not connected: SEND before
 * CONNECT}, or {@code malformed frame} for what is not STOMP at all) and is closed; what
 * it sends after that is dropped unread. Heart-beats (end-of-lines) before CONNECT pass,
 * as STOMP allows.
 */
final class ConnectFirst extends WebSocketHandlerDecorator {

	private static final String CONNECT_SEEN = ConnectFirst.class.getName() + ".connectSeen";

	private final SessionTerminator terminator;

	ConnectFirst(WebSocketHandler delegate, SessionTerminator terminator) {
		super(delegate);
		this.terminator = terminator;
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
		Map<String, Object> attributes = session.getAttributes();
		if (attributes.containsKey(CONNECT_SEEN)) {
			super.handleMessage(session, message);
			return;
		}
		if (this.terminator.isTerminated(session.getId())) {
			return;
		}
		String line = firstLine(message);
		if (line == null) { // heart-beats only
			super.handleMessage(session, message);
			return;
		}
		boolean complete = line.endsWith("\n");
		String command = line.strip();
		if (complete && (command.equals("CONNECT") || command.equals("STOMP"))) {
			attributes.put(CONNECT_SEEN, Boolean.TRUE);
			super.handleMessage(session, message);
			return;
		}
		if (!complete && ("CONNECT".startsWith(command) || "STOMP".startsWith(command))) {
			super.handleMessage(session, message); // the first part of a CONNECT split
													// into partial messages
			return;
		}
		this.terminator.terminate(session.getId(), refusal(command), null);
	}

	private static ClientRejection refusal(String command) {
		for (StompCommand known : StompCommand.values()) {
			if (known.name().equals(command)) {
				return new ClientRejection(ClientError.NOT_CONNECTED, command + " before CONNECT");
			}
		}
		return new ClientRejection(ClientError.MALFORMED_FRAME, "not a STOMP frame (unknown command)");
	}

	/**
	 * The message's first line after any end-of-lines, with its {@code \n} if the message
	 * has one (at most 64 characters are looked at); {@code null} if it holds
	 * end-of-lines only.
	 */
	private static String firstLine(WebSocketMessage<?> message) {
		String start;
		if (message instanceof TextMessage text) {
			String payload = text.getPayload();
			start = payload.substring(0, Math.min(payload.length(), 80));
		}
		else if (message instanceof BinaryMessage binary) {
			ByteBuffer payload = binary.getPayload().duplicate();
			byte[] bytes = new byte[Math.min(payload.remaining(), 80)];
			payload.get(bytes);
			start = new String(bytes, StandardCharsets.ISO_8859_1);
		}
		else {
			return null; // ping, pong
		}
		int from = 0;
		while (from < start.length() && (start.charAt(from) == '\n' || start.charAt(from) == '\r')) {
			from++;
		}
		if (from == start.length()) {
			return (start.length() < 80) ? null : "";
		}
		int end = start.indexOf('\n', from);
		return (end >= 0) ? start.substring(from, end + 1) : start.substring(from, Math.min(start.length(), from + 64));
	}

}
