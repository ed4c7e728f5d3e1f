package io.courier.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One session as the node holding it describes it in a reply to {@code control.sessions}
 * and {@code control.session}: the {@link SessionInfo} fields and what only that node
 * knows.
 *
 * @param sessionId the session id on its node
 * @param nodeId the node that holds it
 * @param user the principal name ({@code sub})
 * @param connectedAt when it got CONNECTED
 * @param remoteAddress the client's address (its IP, no port: behind a trusted proxy, the
 * one {@code X-Forwarded-For} names)
 * @param userAgent the handshake's User-Agent, or empty
 * @param transport {@code websocket}, {@code sockjs}, {@code sse} or {@code poll}
 * @param subscriptions live subscriptions, in the order they were made
 * @param framesIn STOMP frames accepted from the client (heart-beats not counted)
 * @param framesOut STOMP frames sent to it
 * @param heartbeat the negotiated heart-beat in ms, each way
 * @param lastActivity the last frame or heart-beat from the client
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionDetail(String sessionId, String nodeId, String user, @Nullable Instant connectedAt,
		@Nullable String remoteAddress, @Nullable String userAgent, @Nullable String transport,
		@Nullable List<Subscription> subscriptions, long framesIn, long framesOut, @Nullable Heartbeat heartbeat,
		@Nullable Instant lastActivity) {

	/**
	 * A STOMP subscription of the session.
	 *
	 * @param id the client's subscription id
	 * @param destination what it subscribed to
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Subscription(String id, String destination) {
	}

	/**
	 * The negotiated heart-beat, in ms; 0 is off.
	 *
	 * @param client client to server
	 * @param server server to client
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Heartbeat(long client, long server) {
	}

}
