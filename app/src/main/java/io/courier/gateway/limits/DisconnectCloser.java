package io.courier.gateway.limits;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.web.socket.CloseStatus;

import io.courier.gateway.transport.OutboundBuffers;

/**
 * Closes the socket of a session that sent DISCONNECT: at once when it asked for no
 * receipt, after its RECEIPT (Spring's DISCONNECT_ACK, which the relay sends) when it
 * did. Until the socket closes, the session still counts as connected (presence, sessions
 * per user), and a client that does not close it itself would hold it until the idle
 * timeout. On the inbound and the outbound channel; the socket closes once what is queued
 * for it is written.
 */
final class DisconnectCloser implements ExecutorChannelInterceptor {

	private final OutboundBuffers buffers;

	DisconnectCloser(OutboundBuffers buffers) {
		this.buffers = buffers;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
			@Nullable Exception ex) {
		String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		if (sessionId == null) {
			return;
		}
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(message.getHeaders());
		if (type == SimpMessageType.DISCONNECT_ACK) {
			this.buffers.closeWhenWritten(sessionId, CloseStatus.NORMAL);
			return;
		}
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (type == SimpMessageType.DISCONNECT && accessor != null && accessor.getCommand() == StompCommand.DISCONNECT
				&& accessor.getReceipt() == null) {
			this.buffers.closeWhenWritten(sessionId, CloseStatus.NORMAL);
		}
	}

}
