package io.courier.gateway.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * How a rule that matched decides: one type per access kind of
 * {@link DestinationRule.Access}. {@link #refusal} names why the session is refused (the
 * reason in {@code forbidden destination: <destination> (<reason>)}), or is {@code null}
 * when it is granted.
 */
sealed interface RuleAccess {

	/** A pattern variable, {@code {name}} or {@code {name:regex}}. */
	Pattern VARIABLE = Pattern.compile("\\{([^}:]+)(?::[^}]*)?}");

	@Nullable String refusal(JwtAuthenticationToken user, Map<String, String> variables);

	/** Whether a valid {@code subscription-token} may grant what this refuses. */
	default boolean yieldsToSubscriptionToken() {
		return true;
	}

	/**
	 * The access of a rule, checked as at start: a rule that cannot decide (a CLAIM
	 * without claim, a variable the pattern does not have) is refused with the property
	 * that names it.
	 */
	static RuleAccess of(DestinationRule rule, String property) {
		return switch (rule.access()) {
			case AUTHENTICATED -> new Everyone();
			case DENY -> new Nobody(rule.pattern());
			case ORDER_OWNER -> new ClaimListed("orders", "orderId");
			case CLAIM ->
				new ClaimListed(required(rule.claim(), property + ".claim", "CLAIM"), variable(rule, property));
			case SELF -> new Self(variable(rule, property));
			case SCOPE -> new ScopeHeld(required(rule.scope(), property + ".scope", "SCOPE"));
		};
	}

	private static String required(@Nullable String value, String property, String access) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(property + " is required for access " + access);
		}
		return value.trim();
	}

	private static String variable(DestinationRule rule, String property) {
		List<String> variables = variablesOf(rule.pattern());
		String variable = rule.variable();
		if (variable != null && !variable.isBlank()) {
			if (!variables.contains(variable.trim())) {
				throw new IllegalArgumentException(
						property + ".variable: the pattern " + rule.pattern() + " has no {" + variable.trim() + "}");
			}
			return variable.trim();
		}
		if (variables.size() != 1) {
			throw new IllegalArgumentException(
					property + ": access " + rule.access() + " needs the pattern to name one "
							+ "{variable}, or .variable to say which (pattern " + rule.pattern() + ")");
		}
		return variables.get(0);
	}

	private static List<String> variablesOf(String pattern) {
		return VARIABLE.matcher(pattern).results().map((match) -> match.group(1)).toList();
	}

	/** {@code AUTHENTICATED}. */
	record Everyone() implements RuleAccess {

		@Override
		public @Nullable String refusal(JwtAuthenticationToken user, Map<String, String> variables) {
			return null;
		}

	}

	/** {@code DENY}. */
	record Nobody(String pattern) implements RuleAccess {

		@Override
		public String refusal(JwtAuthenticationToken user, Map<String, String> variables) {
			return "denied by rule " + this.pattern;
		}

		@Override
		public boolean yieldsToSubscriptionToken() {
			return false;
		}

	}

	/**
	 * {@code CLAIM} (and the deprecated {@code ORDER_OWNER}, which is
	 * {@code claim: orders} on {@code orderId}).
	 */
	record ClaimListed(String claim, String variable) implements RuleAccess {

		@Override
		public @Nullable String refusal(JwtAuthenticationToken user, Map<String, String> variables) {
			String value = variables.get(this.variable);
			if (value == null) {
				return "the rule's pattern names no {" + this.variable + "}";
			}
			return listed(user.getToken().getClaims().get(this.claim), value) ? null
					: value + " is not in the token's " + this.claim + " claim";
		}

		private static boolean listed(@Nullable Object claim, String value) {
			if (claim instanceof Collection<?> values) {
				return values.stream().anyMatch((listed) -> value.equals(String.valueOf(listed)));
			}
			if (claim instanceof String values) {
				return List.of(values.trim().split("\\s+")).contains(value);
			}
			return false;
		}

	}

	/** {@code SELF}. */
	record Self(String variable) implements RuleAccess {

		@Override
		public @Nullable String refusal(JwtAuthenticationToken user, Map<String, String> variables) {
			String value = variables.get(this.variable);
			return (value != null && value.equals(user.getName())) ? null
					: "not the caller's own (" + this.variable + " is not the token's sub)";
		}

	}

	/** {@code SCOPE}. */
	record ScopeHeld(String scope) implements RuleAccess {

		@Override
		public @Nullable String refusal(JwtAuthenticationToken user, Map<String, String> variables) {
			Jwt token = user.getToken();
			return (ClaimListed.listed(token.getClaims().get("scope"), this.scope)
					|| ClaimListed.listed(token.getClaims().get("scp"), this.scope)) ? null
							: "the token lacks scope " + this.scope;
		}

	}

}
