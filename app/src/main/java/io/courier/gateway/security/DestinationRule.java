package io.courier.gateway.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * One row of the destination rule table: who may SUBSCRIBE or SEND to destinations matching {@code pattern}
 * (Ant-style: {@code *}, {@code **} and {@code {variable}}).
 *
 * @param frame the client frame the rule is about
 * @param pattern destination pattern, e.g. {@code /topic/orders.{orderId}}
 * @param access who is granted
 */
public record DestinationRule(@NotNull Frame frame, @NotBlank String pattern, @NotNull Access access) {

	/** Client frames that carry a destination. */
	public enum Frame {

		SUBSCRIBE, SEND

	}

	/** Who a rule grants. */
	public enum Access {

		/** Any authenticated session. */
		AUTHENTICATED,
		/**
		 * The owner of the order named by the pattern's {@code {orderId}}: the connect token's {@code orders} claim
		 * lists it, or the frame carries a {@code subscription-token} for this user and destination.
		 */
		ORDER_OWNER,
		/** Nobody: an explicit refusal (anything no rule matches is refused too). */
		DENY

	}

}
