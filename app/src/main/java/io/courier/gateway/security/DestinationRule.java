package io.courier.gateway.security;

import java.util.List;
import java.util.Locale;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One row of the destination rule table: who may SUBSCRIBE or SEND to destinations matching {@code pattern}
 * (Ant-style: {@code *}, {@code **} and {@code {variable}}).
 *
 * @param frame the client frame the rule is about
 * @param pattern destination pattern, e.g. {@code /topic/orders.{orderId}}
 * @param access who is granted
 * @param brokerHeaders RabbitMQ headers a frame to these destinations may carry (e.g. {@code prefetch-count} on a
 * queue SUBSCRIBE, {@code persistent} on a SEND); every other header RabbitMQ would act on is refused
 * ({@code forbidden header}). Empty by default.
 */
public record DestinationRule(@NotNull Frame frame, @NotBlank String pattern, @NotNull Access access,
		List<String> brokerHeaders) {

	@ConstructorBinding
	public DestinationRule(Frame frame, String pattern, Access access, @Nullable List<String> brokerHeaders) {
		this.frame = frame;
		this.pattern = pattern;
		this.access = access;
		this.brokerHeaders = (brokerHeaders != null)
				? brokerHeaders.stream().map((name) -> name.trim().toLowerCase(Locale.ROOT)).toList() : List.of();
	}

	public DestinationRule(Frame frame, String pattern, Access access) {
		this(frame, pattern, access, List.of());
	}

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
