package io.courier.gateway.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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
 * The one place that decides whether a session may SUBSCRIBE or SEND to a destination, from the rule table in
 * {@link DestinationRulesProperties}. Deny by default: no matching rule, no access. Destinations with broker
 * wildcards ({@code *}, {@code #}) or percent-escapes are refused before any rule is read, so that no pattern
 * can be widened on its way to RabbitMQ; so are destinations Courier does not serve or keeps for itself
 * ({@link ServedDestinations}).
 *
 * <p>Order ownership is proven statelessly: the connect token's {@code orders} claim lists the order, or the
 * SUBSCRIBE carries a {@code subscription-token} header: a JWT from the same issuer whose {@code sub} is the
 * connected user and whose {@code dest} claim is the destination.
 *
 * <p>SSE and long polling ask it too, as for a SUBSCRIBE: the same destination means the same on every transport.
 */
@Component
public class DestinationAuthorizer {

	static final String SUBSCRIPTION_TOKEN = BrokerHeaders.SUBSCRIPTION_TOKEN;

	static final String ORDERS_CLAIM = "orders";

	static final String DEST_CLAIM = "dest";

	private final List<DestinationRule> rules;

	private final TokenVerifier verifier;

	private final AntPathMatcher matcher = new AntPathMatcher();

	DestinationAuthorizer(DestinationRulesProperties properties, TokenVerifier verifier) {
		this.rules = properties.effectiveRules();
		this.verifier = verifier;
	}

	/**
	 * Returns the rule that granted access, else throws a {@link ClientRejection} whose message names the
	 * destination and the reason.
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
		for (DestinationRule rule : this.rules) {
			if (rule.frame() == frame && this.matcher.match(rule.pattern(), destination)) {
				decide(rule, destination, user, subscriptionToken);
				return rule;
			}
		}
		throw forbidden(destination, "no rule grants " + frame);
	}

	private void decide(DestinationRule rule, String destination, JwtAuthenticationToken user,
			@Nullable String subscriptionToken) {
		switch (rule.access()) {
			case AUTHENTICATED -> {
			}
			case DENY -> throw forbidden(destination, "denied by rule " + rule.pattern());
			case ORDER_OWNER -> {
				Map<String, String> variables = this.matcher.extractUriTemplateVariables(rule.pattern(), destination);
				String orderId = variables.get("orderId");
				if (orderId == null) {
					throw forbidden(destination, "rule " + rule.pattern() + " names no {orderId}");
				}
				if (!ownsOrder(user.getToken(), orderId)
						&& !holdsSubscriptionToken(user, destination, subscriptionToken)) {
					throw forbidden(destination, "not the order's owner");
				}
			}
		}
	}

	private static boolean ownsOrder(Jwt token, String orderId) {
		Object claim = token.getClaims().get(ORDERS_CLAIM);
		if (claim instanceof Collection<?> orders) {
			return orders.stream().anyMatch((order) -> orderId.equals(String.valueOf(order)));
		}
		return false;
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
