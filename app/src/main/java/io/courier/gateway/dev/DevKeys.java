package io.courier.gateway.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import com.nimbusds.jose.jwk.RSAKey;

/**
 * The dev issuer's RSA key pair: read from {@code private.pem} and {@code public.pem} in
 * the key folder, or generated there on first start, so tokens minted before a restart
 * stay valid.
 */
final class DevKeys {

	static final String KEY_ID = "courier-dev";

	private DevKeys() {
	}

	static RSAKey loadOrCreate(Path dir) {
		try {
			Path privatePem = dir.resolve("private.pem");
			Path publicPem = dir.resolve("public.pem");
			if (!Files.exists(privatePem) || !Files.exists(publicPem)) {
				Files.createDirectories(dir);
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(2048);
				KeyPair pair = generator.generateKeyPair();
				write(privatePem, "PRIVATE KEY", pair.getPrivate().getEncoded());
				ownerOnly(privatePem);
				write(publicPem, "PUBLIC KEY", pair.getPublic().getEncoded());
			}
			KeyFactory rsa = KeyFactory.getInstance("RSA");
			RSAPrivateKey privateKey = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(read(privatePem)));
			RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(read(publicPem)));
			return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(KEY_ID).build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the dev key pair in " + dir.toAbsolutePath()
					+ "; set courier.dev.key-dir to a writable folder", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Dev key pair in " + dir.toAbsolutePath()
					+ " is unreadable; delete the folder to generate a new one", ex);
		}
	}

	private static void write(Path file, String type, byte[] der) throws IOException {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
	}

	private static void ownerOnly(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: leave the platform's default
		}
	}

	private static byte[] read(Path file) throws IOException {
		String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		return Base64.getDecoder().decode(pem);
	}

}
