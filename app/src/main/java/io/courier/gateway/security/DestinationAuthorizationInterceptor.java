package io.courier.gateway.security;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import io.courier.gateway.security.DestinationRule.Frame;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.stomp.RejectingChannelInterceptor;
import io.courier.gateway.stomp.SessionTerminator;
import io.courier.gateway.session.ClientRejection;

/**
 * Asks {@link DestinationAuthorizer} about every client SUBSCRIBE and SEND; it holds no rules of its own. Runs
 * after {@link StompAuthenticationInterceptor}, so every frame here belongs to an authenticated session.
 */
class DestinationAuthorizationInterceptor extends RejectingChannelInterceptor {

	private final DestinationAuthorizer authorizer;

	DestinationAuthorizationInterceptor(SessionTerminator terminator, DestinationAuthorizer authorizer) {
		super(terminator);
		this.authorizer = authorizer;
	}

	@Override
	protected void inspect(StompHeaderAccessor accessor) {
		Frame frame = frameOf(accessor.getCommand());
		if (frame == null) {
			return;
		}
		if (!(accessor.getUser() instanceof JwtAuthenticationToken user)) {
			throw new ClientRejection(ClientError.MISSING_TOKEN, "not connected");
		}
		this.authorizer.authorize(frame, accessor.getDestination(), user,
				accessor.getFirstNativeHeader(DestinationAuthorizer.SUBSCRIPTION_TOKEN));
	}

	private static @Nullable Frame frameOf(@Nullable StompCommand command) {
		if (command == null) {
			return null;
		}
		return switch (command) {
			case SUBSCRIBE -> Frame.SUBSCRIBE;
			case SEND -> Frame.SEND;
			default -> null;
		};
	}

}
