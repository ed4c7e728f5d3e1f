package io.courier.gateway.security;

import java.text.ParseException;

import com.nimbusds.jwt.JWTParser;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.stereotype.Component;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;

/**
 * Validates a bearer token with the resource server's {@link JwtDecoder} (configured by
 * the standard {@code spring.security.oauth2.resourceserver.jwt.*} properties) and names
 * why a token is refused: the decoder's validation errors are sorted into expired, wrong
 * issuer and other claims; a token it refuses for another reason is a bad signature if it
 * parses as a JWT at all, else "not a JWT".
 */
@Component
class TokenVerifier {

	private final JwtDecoder decoder;

	TokenVerifier(JwtDecoder decoder) {
		this.decoder = decoder;
	}

	Jwt verify(String token) {
		try {
			return this.decoder.decode(token);
		}
		catch (JwtValidationException ex) {
			if (ex.getErrors().stream().anyMatch((error) -> TokenPolicy.NO_EXPIRY.equals(error.getDescription()))) {
				throw new ClientRejection(ClientError.INVALID_TOKEN, "no expiry (exp claim)", ex);
			}
			throw new ClientRejection(classify(ex), null, ex);
		}
		catch (JwtException ex) {
			throw isJwt(token) ? new ClientRejection(ClientError.BAD_SIGNATURE, null, ex)
					: new ClientRejection(ClientError.MALFORMED_TOKEN);
		}
	}

	/**
	 * Parsed again only for a refused token: an accepted one is parsed once, by the
	 * decoder.
	 */
	private static boolean isJwt(String token) {
		try {
			JWTParser.parse(token);
			return true;
		}
		catch (ParseException ex) {
			return false;
		}
	}

	private static ClientError classify(JwtValidationException ex) {
		for (OAuth2Error error : ex.getErrors()) {
			String description = String.valueOf(error.getDescription());
			if (description.contains(JwtClaimNames.EXP) || description.toLowerCase().contains("expired")) {
				return ClientError.EXPIRED_TOKEN;
			}
			if (description.contains(JwtClaimNames.ISS)) {
				return ClientError.WRONG_ISSUER;
			}
		}
		return ClientError.INVALID_TOKEN;
	}

}
