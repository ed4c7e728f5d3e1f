package io.courier.gateway.limits;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;

import io.courier.contract.LimitHit;
import io.courier.gateway.cluster.ClusterPublisher;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.session.SessionAttributes;

/**
 * Where every limit that is hit gets recorded, whichever component enforces it: counted
 * in Micrometer {@code courier.limits.hits{limit}} and announced on
 * {@code courier.cluster} as {@code limits.hit} for the console ({@link LimitHit}).
 * Announcements are themselves limited ({@value #PUBLISH_RATE} per second, bursts of
 * {@value #PUBLISH_BURST}) so that a flood of refused handshakes does not become a flood
 * of AMQP messages; the counter always counts.
 */
@Component
public class LimitHits {

	public static final String FRAME_RATE = LimitHit.FRAME_RATE;

	public static final String SESSIONS_PER_USER = LimitHit.SESSIONS_PER_USER;

	public static final String HANDSHAKE_RATE = LimitHit.HANDSHAKE_RATE;

	public static final String FRAME_SIZE = LimitHit.FRAME_SIZE;

	public static final String SLOW_CONSUMER = LimitHit.SLOW_CONSUMER;

	private static final int PUBLISH_RATE = 20;

	private static final int PUBLISH_BURST = 100;

	private static final Log logger = LogFactory.getLog(LimitHits.class);

	private final String nodeId;

	private final ClusterPublisher cluster;

	private final MeterRegistry meters;

	private final TokenBucket announcements = new TokenBucket(PUBLISH_RATE, PUBLISH_BURST, System.nanoTime());

	private final AtomicLong unannounced = new AtomicLong();

	LimitHits(GatewayProperties gateway, ClusterPublisher cluster, MeterRegistry meters) {
		this.nodeId = gateway.nodeId();
		this.cluster = cluster;
		this.meters = meters;
		List.of(FRAME_RATE, SESSIONS_PER_USER, HANDSHAKE_RATE, FRAME_SIZE, SLOW_CONSUMER).forEach(this::counter);
	}

	/**
	 * Records that {@code limit} (one of the constants of this class) was hit.
	 * @param user the session's user, if known
	 * @param sessionId the session, if there is one yet
	 * @param remoteAddress the client's address
	 * @param detail what the client was told, e.g. the ERROR text
	 */
	public void record(String limit, @Nullable String user, @Nullable String sessionId, String remoteAddress,
			String detail) {
		counter(limit).increment();
		if (!this.announcements.tryTake(System.nanoTime())) {
			this.unannounced.incrementAndGet();
			return;
		}
		long skipped = this.unannounced.getAndSet(0);
		if (skipped > 0) {
			logger.info(skipped + " limit hits were counted but not announced on " + ClusterPublisher.EXCHANGE);
		}
		this.cluster.publish(LimitHit.TYPE,
				new LimitHit(LimitHit.TYPE, this.nodeId, Instant.now(), limit, user, sessionId, remoteAddress, detail));
	}

	/**
	 * Records a hit by the client frame {@code accessor}: its user, session and remote
	 * address.
	 */
	public void record(String limit, StompHeaderAccessor accessor, String detail) {
		record(limit, (accessor.getUser() != null) ? accessor.getUser().getName() : null, accessor.getSessionId(),
				SessionAttributes.get(accessor.getSessionAttributes(), SessionAttributes.REMOTE_ADDRESS), detail);
	}

	private Counter counter(String limit) {
		return Counter.builder("courier.limits.hits")
			.description("Limits hit, by limit")
			.tag("limit", limit)
			.register(this.meters);
	}

}
