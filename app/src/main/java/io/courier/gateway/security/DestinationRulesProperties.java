package io.courier.gateway.security;

import java.util.List;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The destination rule table. The first rule whose frame and pattern match decides; a
 * destination no rule matches is refused. Setting {@code courier.security.rules} replaces
 * the whole default table.
 *
 * @param rules the rules, in order; empty means {@link #DEFAULT_RULES}
 */
@Validated
@ConfigurationProperties("courier.security")
public record DestinationRulesProperties(@DefaultValue List<@Valid DestinationRule> rules) {

	/**
	 * SEND to the application; SUBSCRIBE to one's own user queues, owned orders, public
	 * topics, presence; SEND and SUBSCRIBE to the chat rooms the token's {@code rooms}
	 * claim lists (the chat page's).
	 */
	public static final List<DestinationRule> DEFAULT_RULES = List.of(
			new DestinationRule(DestinationRule.Frame.SEND, "/app/**", DestinationRule.Access.AUTHENTICATED),
			new DestinationRule(DestinationRule.Frame.SUBSCRIBE, "/user/queue/**",
					DestinationRule.Access.AUTHENTICATED),
			DestinationRule.claim(DestinationRule.Frame.SUBSCRIBE, "/topic/orders.{orderId}", "orders"),
			new DestinationRule(DestinationRule.Frame.SUBSCRIBE, "/topic/public.**",
					DestinationRule.Access.AUTHENTICATED),
			new DestinationRule(DestinationRule.Frame.SUBSCRIBE, "/topic/presence.{userId}",
					DestinationRule.Access.AUTHENTICATED),
			DestinationRule.claim(DestinationRule.Frame.SUBSCRIBE, "/topic/chat.{room}", "rooms"),
			DestinationRule.claim(DestinationRule.Frame.SEND, "/topic/chat.{room}", "rooms"));

	public List<DestinationRule> effectiveRules() {
		return this.rules.isEmpty() ? DEFAULT_RULES : this.rules;
	}

}
