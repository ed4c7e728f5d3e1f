package io.courier.gateway.session;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessagingException;

/**
 * Thrown by an inbound channel interceptor to refuse a client frame: the session gets a
 * STOMP ERROR whose {@code message} header is {@link #getMessage()}, and the socket
 * closes.
 */
public class ClientRejection extends MessagingException {

	private final ClientError error;

	public ClientRejection(ClientError error) {
		this(error, null, null);
	}

	public ClientRejection(ClientError error, @Nullable String detail) {
		this(error, detail, null);
	}

	public ClientRejection(ClientError error, @Nullable String detail, @Nullable Throwable cause) {
		super((detail != null) ? error.text(detail) : error.text(), cause);
		this.error = error;
	}

	public ClientError error() {
		return this.error;
	}

}
