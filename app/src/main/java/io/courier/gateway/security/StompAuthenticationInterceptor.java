package io.courier.gateway.security;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.RejectingChannelInterceptor;
import io.courier.gateway.session.SessionTerminator;

/**
 * Authenticates a STOMP CONNECT from its native {@code Authorization: Bearer <JWT>}
 * header. The principal is the resource server's {@code JwtAuthenticationToken}, named by
 * the {@code sub} claim; Spring remembers it for every later frame of the session. A
 * refused token ends the session with an ERROR naming the reason. The header travels in
 * the CONNECT frame rather than the HTTP handshake, so it works for SockJS too
 * (sockjs-client #196).
 */
class StompAuthenticationInterceptor extends RejectingChannelInterceptor {

	static final String AUTHORIZATION = "Authorization";

	private static final String BEARER = "bearer ";

	private static final Set<String> SUPPORTED_VERSIONS = Set.of("1.0", "1.1", "1.2");

	private final TokenVerifier verifier;

	private final SessionExpiry expiry;

	private final Converter<Jwt, AbstractAuthenticationToken> converter = new JwtAuthenticationConverter();

	StompAuthenticationInterceptor(SessionTerminator terminator, TokenVerifier verifier, SessionExpiry expiry) {
		super(terminator);
		this.verifier = verifier;
		this.expiry = expiry;
	}

	@Override
	protected void inspect(StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		if (!(StompCommand.CONNECT.equals(command) || StompCommand.STOMP.equals(command))) {
			if (accessor.getUser() == null && command != StompCommand.DISCONNECT) {
				throw new ClientRejection(ClientError.NOT_CONNECTED, command + " before CONNECT");
			}
			return;
		}
		checkVersion(accessor.getFirstNativeHeader(StompHeaderAccessor.STOMP_ACCEPT_VERSION_HEADER));
		String token = bearerToken(accessor);
		Jwt jwt = this.verifier.verify(token);
		AbstractAuthenticationToken authentication = this.converter.convert(jwt);
		if (authentication == null || jwt.getSubject() == null || jwt.getSubject().isBlank()) {
			throw new ClientRejection(ClientError.INVALID_TOKEN, "no subject");
		}
		accessor.setUser(authentication);
		String sessionId = accessor.getSessionId();
		if (sessionId != null && jwt.getExpiresAt() != null) {
			this.expiry.closeAt(sessionId, jwt.getExpiresAt());
		}
	}

	/**
	 * STOMP 1.2: a CONNECT naming no version the server speaks gets an ERROR (none named
	 * means 1.0).
	 */
	private static void checkVersion(@Nullable String acceptVersion) {
		if (acceptVersion == null) {
			return;
		}
		for (String version : acceptVersion.split(",")) {
			if (SUPPORTED_VERSIONS.contains(version.trim())) {
				return;
			}
		}
		throw new ClientRejection(ClientError.UNSUPPORTED_VERSION,
				acceptVersion + " (this server speaks 1.2, 1.1, 1.0)");
	}

	private static String bearerToken(StompHeaderAccessor accessor) {
		String header = first(accessor.getNativeHeader(AUTHORIZATION));
		if (header == null) {
			header = first(accessor.getNativeHeader(AUTHORIZATION.toLowerCase()));
		}
		if (header == null || header.isBlank()) {
			throw new ClientRejection(ClientError.MISSING_TOKEN);
		}
		String value = header.trim();
		if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length()) || value.length() == BEARER.length()) {
			throw new ClientRejection(ClientError.MALFORMED_TOKEN, "expected 'Bearer <JWT>'");
		}
		return value.substring(BEARER.length()).trim();
	}

	private static @Nullable String first(@Nullable List<String> values) {
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

}
