package io.courier.gateway.limits;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import io.courier.gateway.session.InternalSessions;
import io.courier.gateway.session.SessionAttributes;

/**
 * Limits WebSocket handshakes (and SockJS session starts, {@code /sockjs/info}) per
 * remote address with a {@link TokenBucket}; beyond it the handshake gets HTTP 429 with
 * {@code Retry-After: 1}. Other SockJS requests (polling of an established session) are
 * not counted. Behind a proxy the remote address is the proxy's unless
 * {@code server.forward-headers-strategy} is set. Idle buckets are evicted as new
 * addresses come. Rate and burst come from {@link RuntimeLimits}, existing buckets
 * included when they change. The node's own warm-up handshakes ({@link InternalSessions})
 * take no token.
 */
class HandshakeRateFilter extends OncePerRequestFilter {

	private static final long IDLE_NANOS = Duration.ofMinutes(1).toNanos();

	private final RuntimeLimits limits;

	private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

	private final LimitHits hits;

	private final InternalSessions internal;

	HandshakeRateFilter(RuntimeLimits limits, LimitHits hits, InternalSessions internal) {
		this.internal = internal;
		this.limits = limits;
		this.hits = hits;
		limits.onChange(() -> this.buckets.values()
			.forEach((bucket) -> bucket.reconfigure(limits.handshakeRate(), limits.handshakeBurst())));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String remoteAddress = SessionAttributes.remoteAddress(request);
		if (isHandshake(request) && !this.internal.admits(request.getHeader(InternalSessions.HEADER), remoteAddress)
				&& !allow(remoteAddress, System.nanoTime())) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			response.setHeader("Retry-After", "1");
			response.setContentType("text/plain");
			String detail = "too many handshakes from " + remoteAddress;
			response.getWriter().write(detail);
			this.hits.record(LimitHits.HANDSHAKE_RATE, null, null, remoteAddress, detail);
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean isHandshake(HttpServletRequest request) {
		return "websocket".equalsIgnoreCase(request.getHeader("Upgrade")) || request.getRequestURI().endsWith("/info");
	}

	private boolean allow(String address, long now) {
		if (this.buckets.size() > 10_000) {
			this.buckets.values().removeIf((bucket) -> now - bucket.lastUsed() > IDLE_NANOS);
		}
		TokenBucket bucket = this.buckets.computeIfAbsent(address,
				(a) -> new TokenBucket(this.limits.handshakeRate(), this.limits.handshakeBurst(), now));
		return bucket.tryTake(now);
	}

}
