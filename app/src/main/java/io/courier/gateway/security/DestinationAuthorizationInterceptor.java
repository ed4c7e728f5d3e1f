package io.courier.gateway.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import io.courier.gateway.security.DestinationRule.Frame;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.RejectingChannelInterceptor;
import io.courier.gateway.session.SessionTerminator;

/**
 * Asks {@link DestinationAuthorizer} about every client SUBSCRIBE and SEND, and
 * {@link ClientHeaderPolicy} about the headers of every client frame (with the broker
 * headers the granting rule allows); it holds no rules of its own. A SEND that passes
 * gets the {@link TrustedSender} headers. Runs after
 * {@link StompAuthenticationInterceptor}, so every frame here belongs to an authenticated
 * session.
 */
class DestinationAuthorizationInterceptor extends RejectingChannelInterceptor {

	private final DestinationAuthorizer authorizer;

	DestinationAuthorizationInterceptor(SessionTerminator terminator, DestinationAuthorizer authorizer) {
		super(terminator);
		this.authorizer = authorizer;
	}

	@Override
	protected void inspect(StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		if (command == null) {
			return;
		}
		Frame frame = frameOf(command);
		List<String> allowed = List.of();
		JwtAuthenticationToken sender = null;
		if (frame != null) {
			if (!(accessor.getUser() instanceof JwtAuthenticationToken user)) {
				throw new ClientRejection(ClientError.MISSING_TOKEN, "not connected");
			}
			sender = user;
			allowed = this.authorizer
				.authorize(frame, accessor.getDestination(), user,
						accessor.getFirstNativeHeader(DestinationAuthorizer.SUBSCRIPTION_TOKEN))
				.brokerHeaders();
		}
		ClientHeaderPolicy.check(command, accessor.getDestination(), accessor.toNativeHeaderMap().keySet(), allowed);
		if (command == StompCommand.SEND && sender != null) {
			TrustedSender.stamp(accessor, sender);
		}
	}

	private static @Nullable Frame frameOf(StompCommand command) {
		return switch (command) {
			case SUBSCRIBE -> Frame.SUBSCRIBE;
			case SEND -> Frame.SEND;
			default -> null;
		};
	}

}
