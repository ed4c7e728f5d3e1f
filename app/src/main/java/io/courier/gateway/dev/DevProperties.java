package io.courier.gateway.dev;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Dev mode: a local token issuer for trying Courier without an identity provider. Never
 * enable it in production: anyone who reaches the gateway can mint tokens.
 *
 * @param enabled serve {@code /dev/jwks.json} and {@code POST /dev/tokens}
 * @param keyDir where the RSA key pair is generated on first start and kept (not in git)
 * @param issuer the {@code iss} of minted tokens; point
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} at the same value
 * @param tokenTtl lifetime of a minted token unless the request says otherwise
 */
@Validated
@ConfigurationProperties("courier.dev")
public record DevProperties(@DefaultValue("false") boolean enabled, @DefaultValue("data/dev") @NotNull Path keyDir,
		@DefaultValue("http://127.0.0.1:8080/dev") @NotBlank String issuer,
		@DefaultValue("1h") @NotNull Duration tokenTtl) {
}
