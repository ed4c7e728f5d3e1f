package io.courier.gateway.relay;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import io.courier.gateway.session.ClientError;

/**
 * What the relay itself tells a client, through the client outbound channel (where
 * Spring's STOMP handler encodes it): CONNECTED (as Spring's CONNECT_ACK), RECEIPTs,
 * ERRORs, heart-beats and MESSAGEs that do not take the fan-out's direct path. A write to
 * a session counts as the node having sent it something (heart-beats).
 */
final class ClientReplies {

	private final MessageChannel clientOutbound;

	ClientReplies(MessageChannel clientOutbound) {
		this.clientOutbound = clientOutbound;
	}

	/**
	 * Spring's STOMP handler answers CONNECT_ACK with CONNECTED, with the heart-beats
	 * negotiated here.
	 */
	void connected(ClientSession session, Message<?> connect) {
		SimpMessageHeaderAccessor ack = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT_ACK);
		ack.setSessionId(session.id);
		if (session.user != null) {
			ack.setUser(session.user);
		}
		ack.setHeader(SimpMessageHeaderAccessor.CONNECT_MESSAGE_HEADER, connect);
		ack.setHeader(SimpMessageHeaderAccessor.HEART_BEAT_HEADER,
				new long[] { session.sendInterval, session.receiveInterval });
		send(session, Frames.empty(ack));
	}

	/**
	 * DISCONNECT_ACK, which Spring's STOMP handler turns into the RECEIPT of the client's
	 * DISCONNECT.
	 */
	void disconnected(String sessionId, Message<?> disconnect) {
		SimpMessageHeaderAccessor ack = SimpMessageHeaderAccessor.create(SimpMessageType.DISCONNECT_ACK);
		ack.setSessionId(sessionId);
		ack.setHeader(SimpMessageHeaderAccessor.DISCONNECT_MESSAGE_HEADER, disconnect);
		this.clientOutbound.send(Frames.empty(ack));
	}

	/**
	 * Every ERROR the relay sends reads as one of the {@link ClientError} reasons
	 * (checked where assertions run).
	 */
	void error(String sessionId, @Nullable Principal user, String text, @Nullable String receipt) {
		assert ClientError.of(text) != null : "not a ClientError text: " + text;
		StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
		error.setSessionId(sessionId);
		if (user != null) {
			error.setUser(user);
		}
		error.setMessage(text);
		if (receipt != null) {
			error.setReceiptId(receipt);
		}
		this.clientOutbound.send(Frames.empty(error));
	}

	void receipt(ClientSession session, String receipt) {
		StompHeaderAccessor answer = StompHeaderAccessor.create(StompCommand.RECEIPT);
		answer.setSessionId(session.id);
		answer.setReceiptId(receipt);
		send(session, Frames.empty(answer));
	}

	void heartbeat(ClientSession session) {
		SimpMessageHeaderAccessor heartbeat = SimpMessageHeaderAccessor.create(SimpMessageType.HEARTBEAT);
		heartbeat.setSessionId(session.id);
		send(session, Frames.empty(heartbeat));
	}

	/** A MESSAGE for one client subscription, encoded by Spring's STOMP handler. */
	void message(ClientSession session, String subscriptionId, byte[] payload, Map<String, List<String>> headers) {
		if (session.closed) {
			return;
		}
		StompHeaderAccessor out = StompHeaderAccessor.create(StompCommand.MESSAGE, headers);
		out.setSessionId(session.id);
		out.setSubscriptionId(subscriptionId);
		send(session, MessageBuilder.createMessage(payload, out.getMessageHeaders()));
	}

	private void send(ClientSession session, Message<byte[]> message) {
		if (!session.closed) {
			this.clientOutbound.send(message);
			session.lastWriteNanos = System.nanoTime();
		}
	}

}
