package io.courier.gateway.security;

import java.util.List;
import java.util.Locale;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One row of the destination rule table: who may SUBSCRIBE or SEND to destinations
 * matching {@code pattern} (Ant-style: {@code *}, {@code **} and {@code {variable}}).
 *
 * @param frame the client frame the rule is about
 * @param pattern destination pattern, e.g. {@code /topic/chat.{room}}
 * @param access who is granted
 * @param brokerHeaders RabbitMQ headers a frame to these destinations may carry (e.g.
 * {@code prefetch-count} on a queue SUBSCRIBE, {@code persistent} on a SEND); every other
 * header RabbitMQ would act on is refused ({@code forbidden header}). Empty by default.
 * @param claim for {@link Access#CLAIM}: the JWT claim that must list the pattern's
 * variable
 * @param scope for {@link Access#SCOPE}: the scope the token must hold
 * @param variable for {@link Access#CLAIM} and {@link Access#SELF}: which of the
 * pattern's variables is checked; may be left out when the pattern has exactly one
 */
public record DestinationRule(@NotNull Frame frame, @NotBlank String pattern, @NotNull Access access,
		List<String> brokerHeaders, @Nullable String claim, @Nullable String scope, @Nullable String variable) {

	@ConstructorBinding
	public DestinationRule(Frame frame, String pattern, Access access, @Nullable List<String> brokerHeaders,
			@Nullable String claim, @Nullable String scope, @Nullable String variable) {
		this.frame = frame;
		this.pattern = pattern;
		this.access = access;
		this.brokerHeaders = (brokerHeaders != null)
				? brokerHeaders.stream().map((name) -> name.trim().toLowerCase(Locale.ROOT)).toList() : List.of();
		this.claim = claim;
		this.scope = scope;
		this.variable = variable;
	}

	public DestinationRule(Frame frame, String pattern, Access access, List<String> brokerHeaders) {
		this(frame, pattern, access, brokerHeaders, null, null, null);
	}

	public DestinationRule(Frame frame, String pattern, Access access) {
		this(frame, pattern, access, List.of());
	}

	/**
	 * A {@link Access#CLAIM} rule: {@code claim} must list the pattern's (only) variable.
	 */
	public static DestinationRule claim(Frame frame, String pattern, String claim) {
		return new DestinationRule(frame, pattern, Access.CLAIM, List.of(), claim, null, null);
	}

	/** Client frames that carry a destination. */
	public enum Frame {

		SUBSCRIBE, SEND

	}

	/**
	 * Who a rule grants. Each kind also grants a session whose frame carries a
	 * {@code subscription-token} for this user and destination ({@link Access#DENY}
	 * excepted).
	 */
	public enum Access {

		/** Any authenticated session. */
		AUTHENTICATED,
		/**
		 * The value of the pattern's variable is listed in the token's claim
		 * {@code claim} (a JSON list, or a space-separated string):
		 * {@code /topic/chat.{room}} with {@code claim: rooms}.
		 */
		CLAIM,
		/**
		 * The value of the pattern's variable is the token's {@code sub}:
		 * {@code /topic/users.{userId}}.
		 */
		SELF,
		/** The token holds scope {@code scope} ({@code scope}/{@code scp} claim). */
		SCOPE,
		/**
		 * Deprecated: {@link #CLAIM} with {@code claim: orders} on the variable
		 * {@code orderId}, what it always meant; still accepted, with a warning at start.
		 */
		ORDER_OWNER,
		/** Nobody: an explicit refusal (anything no rule matches is refused too). */
		DENY

	}

}
