package io.courier.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A limit that a gateway enforced ({@code limits.hit} on {@code courier.cluster}): a
 * session or handshake refused or closed. Absent values are {@code null} in the JSON, not
 * left out.
 *
 * @param type {@link #TYPE}
 * @param nodeId the node that enforced it
 * @param at when
 * @param limit {@link #FRAME_RATE}, {@link #SESSIONS_PER_USER}, {@link #HANDSHAKE_RATE},
 * {@link #FRAME_SIZE} or {@link #SLOW_CONSUMER}
 * @param user the session's user, null when not known yet (a refused handshake)
 * @param sessionId the session, null when there is none yet
 * @param remoteAddress the client's address
 * @param detail what the client was told, e.g. the ERROR text
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LimitHit(String type, String nodeId, Instant at, String limit, @Nullable String user,
		@Nullable String sessionId, String remoteAddress, String detail) {

	public static final String TYPE = "limits.hit";

	public static final String FRAME_RATE = "frame-rate";

	public static final String SESSIONS_PER_USER = "sessions-per-user";

	public static final String HANDSHAKE_RATE = "handshake-rate";

	public static final String FRAME_SIZE = "frame-size";

	public static final String SLOW_CONSUMER = "slow-consumer";

}
