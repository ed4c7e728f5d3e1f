package io.courier.admin.security;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may log in to the console. There is no user store: operators come from
 * configuration, with bcrypt hashes (print one with
 * {@code java -jar courier-admin-ui.jar hash-password <password>}).
 *
 * @param operators the accounts; at least one
 */
@Validated
@ConfigurationProperties("courier.admin")
public record OperatorProperties(@DefaultValue @NotEmpty(
		message = "set courier.admin.operators[0].username, .password-hash (bcrypt) and .role (VIEWER or OPERATOR)") List<@Valid Operator> operators) {

	/**
	 * One account.
	 *
	 * @param username the login name
	 * @param passwordHash bcrypt hash of the password ({@code $2a$10$...})
	 * @param role {@code VIEWER} (read only) or {@code OPERATOR} (may also disconnect
	 * sessions and edit limits)
	 */
	public record Operator(@NotBlank String username, @NotNull @Pattern(
			regexp = "^\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}$",
			message = "must be a bcrypt hash ($2a$10$...); print one with: java -jar courier-admin-ui.jar hash-password <password>") String passwordHash,
			@NotNull Role role) {
	}

	/** What an operator may do. */
	public enum Role {

		/** Sees every page. */
		VIEWER,

		/** Sees every page, disconnects sessions and edits limits. */
		OPERATOR

	}

}
