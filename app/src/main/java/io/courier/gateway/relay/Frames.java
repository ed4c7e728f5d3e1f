package io.courier.gateway.relay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Reading and rewriting STOMP frames as Spring messages, the way several of the relay's
 * roles need to.
 */
final class Frames {

	static final byte[] EMPTY = new byte[0];

	static final String TRANSACTION = "transaction";

	static final String RECEIPT = "receipt";

	private Frames() {
	}

	/** A frame with no body and these headers. */
	static Message<byte[]> empty(MessageHeaderAccessor headers) {
		return MessageBuilder.createMessage(EMPTY, headers.getMessageHeaders());
	}

	/**
	 * The frame's STOMP headers: its own accessor if it has one, else one made from its
	 * message headers.
	 */
	static StompHeaderAccessor stompAccessor(Message<?> message) {
		MessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, MessageHeaderAccessor.class);
		if (accessor instanceof StompHeaderAccessor stomp) {
			return stomp;
		}
		StompHeaderAccessor stomp = StompHeaderAccessor.wrap(message);
		if (stomp.getCommand() == null && stomp.getMessageType() != SimpMessageType.HEARTBEAT) {
			stomp.updateStompCommandAsClientMessage();
		}
		return stomp;
	}

	/**
	 * The frame with its STOMP headers brought up to date with its message headers: a
	 * user destination's SEND reaches the relay with the resolved destination in the
	 * message header and the client's {@code /user/...} in the native one, which is what
	 * would be encoded.
	 */
	static Message<byte[]> asSent(Message<byte[]> frame) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
		return MessageBuilder.createMessage(frame.getPayload(), accessor.getMessageHeaders());
	}

	/**
	 * The frame as it joins a transaction: without the transaction's name, and without
	 * its receipt (answered).
	 */
	static Message<byte[]> withoutTransaction(Message<byte[]> frame) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
		accessor.removeNativeHeader(TRANSACTION);
		accessor.removeNativeHeader(RECEIPT);
		return MessageBuilder.createMessage(frame.getPayload(), accessor.getMessageHeaders());
	}

	/**
	 * A broker MESSAGE's headers as a client copy starts from: all but the broker's
	 * subscription id.
	 */
	static Map<String, List<String>> nativeHeadersOf(StompHeaderAccessor accessor) {
		Map<String, List<String>> headers = new LinkedHashMap<>(accessor.toNativeHeaderMap());
		headers.remove(StompHeaderAccessor.STOMP_SUBSCRIPTION_HEADER);
		return headers;
	}

	/** The user destination a SUBSCRIBE was resolved from, if it was. */
	static @Nullable String originalDestination(StompHeaderAccessor accessor) {
		String original = accessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
		if (original == null
				&& accessor.getHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION) instanceof String header) {
			original = header;
		}
		return original;
	}

}
