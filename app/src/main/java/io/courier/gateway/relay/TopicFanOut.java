package io.courier.gateway.relay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.util.MimeTypeUtils;

/**
 * A topic's broker MESSAGE to each local subscriber, on the connection's event-loop
 * thread (no hop through a thread pool, so every subscriber sees the broker's order). A
 * text frame is encoded once per distinct client subscription id and queued straight into
 * each session's outbound buffer, held there until the connection's read is handled so
 * that one read's frames reach a socket together; what must go through Spring's STOMP
 * handler (binary bodies, user destinations) goes through the client outbound channel.
 */
final class TopicFanOut {

	private final StompEncoder encoder = new StompEncoder();

	private final ClientReplies replies;

	private volatile @Nullable FrameWriter frameWriter;

	TopicFanOut(ClientReplies replies) {
		this.replies = replies;
	}

	void writeTo(@Nullable FrameWriter frameWriter) {
		this.frameWriter = frameWriter;
	}

	void fanOut(Topic topic, Message<byte[]> frame, StompHeaderAccessor accessor, BrokerConnection connection) {
		Map<String, List<String>> headers = Frames.nativeHeadersOf(accessor);
		String clientDestination = topic.clientDestination;
		if (clientDestination != null && !headers.containsKey(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION)) {
			headers.put(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, List.of(clientDestination));
		}
		byte[] payload = frame.getPayload();
		FrameWriter writer = directWriter(headers);
		// Clients mostly use the same subscription id ("sub-0" from STOMP.js): one
		// encoding per distinct id.
		String lastId = null;
		EncodedFrame encoded = null;
		Map<String, EncodedFrame> byId = null;
		for (Topic.Subscriber subscriber : topic.subscribers()) {
			ClientSession session = subscriber.session();
			if (session.closed) {
				continue;
			}
			String id = subscriber.subscriptionId();
			if (writer == null) {
				this.replies.message(session, id, payload, headers);
				continue;
			}
			if (!id.equals(lastId)) {
				if (lastId != null && byId == null) {
					byId = new HashMap<>();
					byId.put(lastId, encoded);
				}
				encoded = (byId != null) ? byId.computeIfAbsent(id, (key) -> encode(headers, key, payload))
						: encode(headers, id, payload);
				lastId = id;
			}
			if (writer.write(session.id, encoded, connection.held()::hold)) {
				session.lastWriteNanos = System.nanoTime();
			}
			else {
				this.replies.message(session, id, payload, headers);
			}
		}
	}

	/**
	 * The writer for frames with these headers, or {@code null} when they must go through
	 * Spring's STOMP handler: binary content (which it sends as a binary WebSocket
	 * message where the transport allows) and a user destination's original destination
	 * (which it puts back in place).
	 */
	private @Nullable FrameWriter directWriter(Map<String, List<String>> headers) {
		FrameWriter writer = this.frameWriter;
		if (writer == null || headers.containsKey(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION)) {
			return null;
		}
		List<String> contentType = headers.get(StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER);
		if (contentType != null && !contentType.isEmpty() && MimeTypeUtils.APPLICATION_OCTET_STREAM
			.isCompatibleWith(MimeTypeUtils.parseMimeType(contentType.get(0)))) {
			return null;
		}
		return writer;
	}

	private EncodedFrame encode(Map<String, List<String>> headers, String subscriptionId, byte[] payload) {
		StompHeaderAccessor out = StompHeaderAccessor.create(StompCommand.MESSAGE, headers);
		out.setSubscriptionId(subscriptionId);
		return new EncodedFrame(this.encoder.encode(out.getMessageHeaders(), payload));
	}

}
