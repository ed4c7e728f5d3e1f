package io.courier.gateway.sse;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Server-sent events and long polling. The history they are served from (stream, kept
 * topics, client buffer) is configured under the same prefix by
 * {@link io.courier.gateway.history.HistoryProperties}.
 *
 * @param keepAlive interval of the SSE comment that keeps proxies from closing an idle
 * stream
 * @param retry reconnect delay the SSE stream suggests to the client ({@code retry:})
 * @param pollDefaultWait how long a poll is held when it gives no {@code wait}
 * @param pollMaxWait the longest {@code wait} a poll may ask for
 * @param pollPresenceGrace how long a long-polling client stays online after its last
 * poll ended
 */
@Validated
@ConfigurationProperties("courier.sse")
public record SseProperties(@DefaultValue("15s") @NotNull Duration keepAlive,
		@DefaultValue("3s") @NotNull Duration retry, @DefaultValue("30s") @NotNull Duration pollDefaultWait,
		@DefaultValue("60s") @NotNull Duration pollMaxWait, @DefaultValue("10s") @NotNull Duration pollPresenceGrace) {

	@AssertTrue(message = "courier.sse.poll-default-wait must not exceed courier.sse.poll-max-wait")
	boolean isPollWaitConsistent() {
		return this.pollDefaultWait.compareTo(this.pollMaxWait) <= 0;
	}

	@AssertTrue(message = "courier.sse.keep-alive must be at least 1s")
	boolean isKeepAliveValid() {
		return this.keepAlive.toMillis() >= 1000;
	}

}
