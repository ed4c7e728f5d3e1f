package io.courier.gateway.stomp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompConversionException;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

import io.courier.gateway.limits.LimitHits;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.LocalSession;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.session.SessionAttributes;

/**
 * Turns any failure while handling a client frame into an ERROR frame whose
 * {@code message} header is one of the {@link ClientError} texts; internal exception
 * messages never reach the client. Spring closes the socket after sending it.
 */
class StompErrorHandler extends StompSubProtocolErrorHandler {

	private static final Log logger = LogFactory.getLog(StompErrorHandler.class);

	private static final byte[] EMPTY = new byte[0];

	/**
	 * How Spring's STOMP decoder reports a frame over the size limit, in its two
	 * wordings.
	 */
	private static final Pattern BUFFER_LIMIT = Pattern.compile("buffer size limit (?:of )?(\\d+)");

	private final LimitHits hits;

	private final LocalSessions sessions;

	StompErrorHandler(LimitHits hits, LocalSessions sessions) {
		this.hits = hits;
		this.sessions = sessions;
		SpringStompLogFilter.install();
	}

	/**
	 * How Spring's relay ({@code courier.relay.engine=spring}) words the ERROR it sends
	 * when a session's broker connection fails or is missing. Courier's own relay words
	 * its ERRORs from {@link ClientError} already.
	 */
	private static final List<String> RELAY_CONNECTION_ERRORS = List.of("Broker not available",
			"Connection to broker closed", "Failed to connect", "Transport failure", "No CONNECTED frame",
			"No messages received", "failed to forward", "Failed to forward heartbeat");

	/**
	 * ERRORs on their way to a client: Spring's relay's connection failures become
	 * {@code broker unavailable: <relay's text>}; Courier's own and RabbitMQ's own ERRORs
	 * pass unchanged.
	 */
	@Override
	public @Nullable Message<byte[]> handleErrorMessageToClient(Message<byte[]> errorMessage) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(errorMessage, StompHeaderAccessor.class);
		String text = (accessor != null) ? accessor.getMessage() : null;
		if (accessor == null || text == null || RELAY_CONNECTION_ERRORS.stream().noneMatch(text::startsWith)) {
			return errorMessage;
		}
		if (!accessor.isMutable()) {
			accessor = StompHeaderAccessor.wrap(errorMessage);
		}
		accessor.setMessage(ClientError.BROKER_UNAVAILABLE.text(text));
		return MessageBuilder.createMessage(errorMessage.getPayload(), accessor.getMessageHeaders());
	}

	/**
	 * The rest of an oversized frame keeps arriving (as partial messages) until the
	 * socket is closed, and each part fails again: one hit per session. The last few
	 * hundred session ids are remembered, no more.
	 */
	private final Map<String, Boolean> oversized = Collections.synchronizedMap(new LinkedHashMap<>() {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > 256;
		}
	});

	private boolean firstOversizedFrameOf(@Nullable String sessionId) {
		return sessionId == null || this.oversized.put(sessionId, Boolean.TRUE) == null;
	}

	@Override
	public @Nullable Message<byte[]> handleClientMessageProcessingError(@Nullable Message<byte[]> clientMessage,
			Throwable ex) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		String text = describe(clientMessage, ex);
		accessor.setMessage(text);
		String sessionId = sessionId(clientMessage);
		ClientError error = ClientError.of(text);
		if (sessionId != null) {
			this.sessions.ending(sessionId, (error != null) ? error.reason() : "error");
		}
		boolean oversized = error == ClientError.FRAME_TOO_LARGE;
		// one oversized frame fails once per part: it is one frame refused, one limit hit
		boolean counted = !oversized || firstOversizedFrameOf(sessionId);
		if (error != null && counted) {
			this.sessions.rejected(error); // Spring writes this ERROR to the socket, not
											// through the outbound channel
		}
		if (oversized && counted) {
			WebSocketSession session = ReceivingSession.current();
			String remoteAddress = (session != null)
					? SessionAttributes.get(session.getAttributes(), SessionAttributes.REMOTE_ADDRESS) : "";
			LocalSession local = (sessionId != null) ? this.sessions.get(sessionId) : null;
			this.hits.record(LimitHits.FRAME_SIZE, (local != null) ? local.user() : null, sessionId, remoteAddress,
					text);
		}
		if (clientMessage != null) {
			StompHeaderAccessor client = StompHeaderAccessor.wrap(clientMessage);
			String receipt = client.getReceipt();
			if (receipt != null) {
				accessor.setReceiptId(receipt);
			}
		}
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(EMPTY, accessor.getMessageHeaders());
	}

	/**
	 * A frame too large to decode comes with no message: the session is the one this
	 * thread is reading.
	 */
	private static @Nullable String sessionId(@Nullable Message<byte[]> clientMessage) {
		if (clientMessage != null) {
			return StompHeaderAccessor.wrap(clientMessage).getSessionId();
		}
		WebSocketSession session = ReceivingSession.current();
		return (session != null) ? session.getId() : null;
	}

	/**
	 * The client's mistakes (a rejection, a frame that does not decode) are answered
	 * without a log line here (a rejection was logged where it was made); anything else
	 * is Courier's own failure, logged with its stack trace and the session id.
	 */
	private static String describe(@Nullable Message<byte[]> clientMessage, Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof ClientRejection rejection) {
				return rejection.getMessage();
			}
			if (t instanceof StompConversionException) {
				String detail = String.valueOf(t.getMessage());
				Matcher limit = BUFFER_LIMIT.matcher(detail);
				return limit.find() ? ClientError.FRAME_TOO_LARGE.text("limit is " + limit.group(1) + " bytes")
						: ClientError.MALFORMED_FRAME.text(detail);
			}
		}
		if (clientMessage == null && isDecodingFailure(ex)) {
			// Spring's decoder throws IllegalArgumentException for a command STOMP does
			// not have (FOO, connect)
			return ClientError.MALFORMED_FRAME.text("not a STOMP frame (unknown command)");
		}
		String session = (clientMessage != null) ? StompHeaderAccessor.wrap(clientMessage).getSessionId() : null;
		if (session == null) {
			WebSocketSession receiving = ReceivingSession.current();
			session = (receiving != null) ? receiving.getId() : null;
		}
		logger.error("Failed to handle a frame of session " + session, ex);
		return ClientError.INTERNAL.text();
	}

	private static boolean isDecodingFailure(Throwable ex) {
		for (StackTraceElement frame : ex.getStackTrace()) {
			if (frame.getClassName().equals("org.springframework.messaging.simp.stomp.StompDecoder")) {
				return true;
			}
		}
		return false;
	}

}
