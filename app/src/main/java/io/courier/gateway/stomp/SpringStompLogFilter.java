package io.courier.gateway.stomp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps Spring's STOMP handler from logging a client's bad input itself: for a frame it
 * cannot parse it logs the start of the raw payload, newlines and all, with a stack
 * trace, and for each frame the inbound channel refuses a line of its own; both then hand
 * the failure to {@link StompErrorHandler}, which answers the client and logs what is
 * Courier's own failure (with the session id and stack trace), and nothing for a client's
 * mistake. Only those two messages of {@code StompSubProtocolHandler} are dropped; its
 * others still log. Installed when Logback is the logging system (Spring Boot's default).
 */
final class SpringStompLogFilter extends TurboFilter {

	private static final String LOGGER = "org.springframework.web.socket.messaging.StompSubProtocolHandler";

	private SpringStompLogFilter() {
	}

	static void install() {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (factory instanceof LoggerContext context
				&& context.getTurboFilterList().stream().noneMatch(SpringStompLogFilter.class::isInstance)) {
			context.addTurboFilter(new SpringStompLogFilter());
		}
	}

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
		if (format != null && LOGGER.equals(logger.getName()) && (format.startsWith("Failed to parse")
				|| format.startsWith("Failed to send message to MessageChannel"))) {
			return FilterReply.DENY;
		}
		return FilterReply.NEUTRAL;
	}

}
