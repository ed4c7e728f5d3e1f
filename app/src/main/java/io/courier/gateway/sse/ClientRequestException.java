package io.courier.gateway.sse;

import org.springframework.http.HttpStatus;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;

/**
 * An SSE or poll request refused before it starts: the client gets {@code status} and
 * {@code {"error": message}}. Texts from {@link ClientError} are the same as in STOMP
 * ERROR frames.
 */
class ClientRequestException extends RuntimeException {

	private final HttpStatus status;

	ClientRequestException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	static ClientRequestException badRequest(String message) {
		return new ClientRequestException(HttpStatus.BAD_REQUEST, message);
	}

	/**
	 * A refusal by the destination rules (403) or the session limit (429), with its STOMP
	 * text.
	 */
	static ClientRequestException of(ClientRejection rejection) {
		HttpStatus status = switch (rejection.error()) {
			case FORBIDDEN_DESTINATION -> HttpStatus.FORBIDDEN;
			case TOO_MANY_SESSIONS -> HttpStatus.TOO_MANY_REQUESTS;
			default -> HttpStatus.BAD_REQUEST;
		};
		return new ClientRequestException(status, String.valueOf(rejection.getMessage()));
	}

	HttpStatus status() {
		return this.status;
	}

}
