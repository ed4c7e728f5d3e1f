package io.courier.gateway.sse;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import io.courier.gateway.history.HistoryKeys;
import io.courier.gateway.history.UserEventHistory;
import io.courier.gateway.security.DestinationAuthorizer;
import io.courier.gateway.security.DestinationRule.Frame;
import io.courier.gateway.session.ClientRejection;

/**
 * The destinations one SSE or poll client asked for ({@code dest} parameters), checked
 * exactly as STOMP SUBSCRIBE frames are (by {@link DestinationAuthorizer}) and then
 * against what history keeps: {@code /topic/{key}} whose key matches a
 * {@code courier.sse.topics} pattern, and the user destinations history keeps
 * ({@link UserEventHistory#DESTINATIONS}, the caller's own).
 *
 * @param destinations the destinations as given, without repeats
 * @param keys what the client receives: see {@link #key}
 */
record ClientDestinations(List<String> destinations, Set<String> keys) {

	static final int MAX_DESTINATIONS = 32;

	/**
	 * Validates and authorizes; throws {@link ClientRequestException} (400) or the
	 * authorizer's {@link ClientRejection} (403).
	 */
	static ClientDestinations of(String @Nullable [] requested, JwtAuthenticationToken user,
			DestinationAuthorizer authorizer, List<String> topicPatterns) {
		if (requested == null || requested.length == 0) {
			throw ClientRequestException
				.badRequest("at least one dest parameter is required, e.g. dest=/topic/public.news");
		}
		Set<String> destinations = new LinkedHashSet<>(List.of(requested));
		if (destinations.size() > MAX_DESTINATIONS) {
			throw ClientRequestException.badRequest("at most " + MAX_DESTINATIONS + " dest parameters");
		}
		Set<String> keys = new LinkedHashSet<>();
		for (String destination : destinations) {
			authorizer.authorize(Frame.SUBSCRIBE, destination, user, null);
			String key = HistoryKeys.historyKey(destination, user.getName(), topicPatterns);
			if (key == null) {
				throw ClientRequestException.badRequest("not served over SSE and long polling: " + destination + " ("
						+ HistoryKeys.kept(topicPatterns) + ")");
			}
			keys.add(key);
		}
		return new ClientDestinations(List.copyOf(destinations), keys);
	}

}
