package io.courier.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints dev-profile tokens locally with the gateway's dev private key
 * ({@code private.pem}, PKCS#8, in the gateway's {@code courier.dev.key-dir}): RS256, kid
 * {@code courier-dev}, the dev issuer, {@code sub} and the {@code orders} claim. No HTTP
 * round trip, so a connect storm measures CONNECT, not token issuing.
 */
final class TokenMinter {

	private final RSASSASigner signer;

	private final String issuer;

	TokenMinter(Path keyDir, String issuer) {
		Path pem = keyDir.resolve("private.pem");
		try {
			String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
			RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
			this.signer = new RSASSASigner(key);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"cannot read " + pem + "; pass the gateway's courier.dev.key-dir as --key-dir", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(pem + " is not a PKCS#8 RSA private key", ex);
		}
		this.issuer = issuer;
	}

	String mint(String subject, List<String> orders, Duration ttl) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(subject)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(ttl)))
			.claim("orders", orders)
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("courier-dev").build(), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign a token for " + subject, ex);
		}
		return jwt.serialize();
	}

}
