package io.courier.gateway.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.util.AntPathMatcher;

import io.courier.gateway.relay.BrokerHeaders;
import io.courier.gateway.security.DestinationRule.Access;
import io.courier.gateway.security.DestinationRule.Frame;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;

/**
 * The one place that decides whether a session may SUBSCRIBE or SEND to a destination,
 * from the rule table in {@link DestinationRulesProperties}. Deny by default: no matching
 * rule, no access. Destinations with broker wildcards ({@code *}, {@code #}) or
 * percent-escapes are refused before any rule is read, so that no pattern can be widened
 * on its way to RabbitMQ; so are destinations Courier does not serve or keeps for itself
 * ({@link ServedDestinations}).
 *
 * <p>
 * A matching rule decides through its {@link RuleAccess} (a claim listing the pattern's
 * variable, the caller's own {@code sub}, a scope, ...), statelessly, from the connect
 * token; what it refuses, a {@code subscription-token} header may still grant: a JWT from
 * the same issuer whose {@code sub} is the connected user and whose {@code dest} claim is
 * the destination.
 *
 * <p>
 * SSE and long polling ask it too, as for a SUBSCRIBE: the same destination means the
 * same on every transport.
 */
@Component
public class DestinationAuthorizer {

	static final String SUBSCRIPTION_TOKEN = BrokerHeaders.SUBSCRIPTION_TOKEN;

	static final String DEST_CLAIM = "dest";

	private static final Log logger = LogFactory.getLog(DestinationAuthorizer.class);

	private final List<DestinationRule> rules;

	/** Each rule's access, in the rules' order. */
	private final List<RuleAccess> accesses;

	private final TokenVerifier verifier;

	private final AntPathMatcher matcher = new AntPathMatcher();

	DestinationAuthorizer(DestinationRulesProperties properties, TokenVerifier verifier) {
		this.rules = properties.effectiveRules();
		List<RuleAccess> accesses = new ArrayList<>(this.rules.size());
		for (int i = 0; i < this.rules.size(); i++) {
			DestinationRule rule = this.rules.get(i);
			String property = "courier.security.rules[" + i + "]";
			if (rule.access() == Access.ORDER_OWNER) {
				logger.warn(property + ": access ORDER_OWNER is deprecated; it means {access: CLAIM, claim: orders} on "
						+ "{orderId}, write that instead");
			}
			accesses.add(RuleAccess.of(rule, property));
		}
		this.accesses = List.copyOf(accesses);
		this.verifier = verifier;
	}

	/**
	 * Returns the rule that granted access, else throws a {@link ClientRejection} whose
	 * message names the destination and the reason.
	 */
	public DestinationRule authorize(Frame frame, @Nullable String destination, JwtAuthenticationToken user,
			@Nullable String subscriptionToken) {
		if (destination == null || destination.isBlank()) {
			throw forbidden("(none)", "no destination header");
		}
		if (destination.indexOf('*') >= 0 || destination.indexOf('#') >= 0 || destination.indexOf('%') >= 0) {
			throw forbidden(destination, "wildcards and escapes are not allowed");
		}
		ServedDestinations.check(destination);
		for (int i = 0; i < this.rules.size(); i++) {
			DestinationRule rule = this.rules.get(i);
			if (rule.frame() == frame && this.matcher.match(rule.pattern(), destination)) {
				decide(rule, this.accesses.get(i), destination, user, subscriptionToken);
				return rule;
			}
		}
		throw forbidden(destination, "no rule grants " + frame);
	}

	private void decide(DestinationRule rule, RuleAccess access, String destination, JwtAuthenticationToken user,
			@Nullable String subscriptionToken) {
		Map<String, String> variables = this.matcher.extractUriTemplateVariables(rule.pattern(), destination);
		String refusal = access.refusal(user, variables);
		if (refusal != null && !(access.yieldsToSubscriptionToken()
				&& holdsSubscriptionToken(user, destination, subscriptionToken))) {
			throw forbidden(destination, refusal);
		}
	}

	private boolean holdsSubscriptionToken(JwtAuthenticationToken user, String destination,
			@Nullable String subscriptionToken) {
		if (subscriptionToken == null || subscriptionToken.isBlank()) {
			return false;
		}
		Jwt token;
		try {
			token = this.verifier.verify(subscriptionToken.trim());
		}
		catch (ClientRejection ex) {
			throw forbidden(destination, "subscription-token: " + ex.getMessage());
		}
		if (!user.getName().equals(token.getSubject())) {
			throw forbidden(destination, "subscription-token is for another user");
		}
		if (!destination.equals(token.getClaimAsString(DEST_CLAIM))) {
			throw forbidden(destination, "subscription-token is for another destination");
		}
		return true;
	}

	private static ClientRejection forbidden(String destination, String reason) {
		return new ClientRejection(ClientError.FORBIDDEN_DESTINATION, destination + " (" + reason + ")");
	}

}
