package io.courier.gateway.history;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The history stream that gives SSE, polling and STOMP history subscriptions their event
 * ids. Bound under {@code courier.sse}, where these settings have always been (the
 * SSE-only ones are in {@code SseProperties}).
 *
 * @param stream name of the stream queue that keeps the history (created by the gateway
 * if absent; its retention arguments are fixed when it is created)
 * @param topics {@code amq.topic} routing-key patterns kept in history, hence served over
 * SSE and polling ({@code /topic/orders.42} is key {@code orders.42}); topics outside
 * them are STOMP-only
 * @param retentionMaxAge events older than this may be dropped from history
 * ({@code x-max-age})
 * @param retentionMaxBytes history is trimmed beyond this size
 * ({@code x-max-length-bytes})
 * @param segmentSize size of one stream segment
 * ({@code x-stream-max-segment-size-bytes}); RabbitMQ trims whole segments, so retention
 * is exact to within one segment. At least 64KB: with 4-8 KB segments RabbitMQ 3.10.8
 * gave consumers starting at the first offset nothing at all
 * @param clientBuffer events one SSE client may have waiting, and the most events one
 * poll answer or one catch-up carries
 * @param recentEvents events each node keeps in memory to resume clients without reading
 * the stream
 * @param lastKeys destinations (per user for user destinations) whose latest event each
 * node keeps in memory for subscribers that ask for it ({@code courier-last: 1},
 * {@code last=1})
 * @param lastLookback how many of the stream's latest messages are read to find a
 * destination's latest event when the node does not know it (it knows every destination
 * that had an event since it started, up to {@code lastKeys}); an event older than that
 * is not found. RabbitMQ 3.10 delivers a stream to an AMQP consumer at about 10,000
 * messages a second on the reference machine: the default costs about a second, once per
 * destination
 */
@Validated
@ConfigurationProperties("courier.sse")
public record HistoryProperties(@DefaultValue("courier.history") @NotBlank String stream, @DefaultValue( {
		"orders.*", "public.#", "presence.*" }) @NotEmpty List<@NotBlank String> topics,
		@DefaultValue("24h") @NotNull Duration retentionMaxAge,
		@DefaultValue("1GB") @NotNull DataSize retentionMaxBytes, @DefaultValue("16MB") @NotNull DataSize segmentSize,
		@DefaultValue("256") @Min(1) @Max(100_000) int clientBuffer,
		@DefaultValue("1000") @Min(0) @Max(1_000_000) int recentEvents,
		@DefaultValue("10000") @Min(1) @Max(10_000_000) int lastKeys, @DefaultValue("10000") @Min(1) long lastLookback){

	@AssertTrue(message = "courier.sse.retention-max-age must be at least 1s")
	boolean isRetentionMaxAgeValid() {
		return this.retentionMaxAge.toSeconds() >= 1;
	}

	@AssertTrue(
			message = "courier.sse.segment-size must be between 64KB and courier.sse.retention-max-bytes (and under 2GB)")
	boolean isSegmentSizeValid() {
		long bytes = this.segmentSize.toBytes();
		return bytes >= 64 * 1024 && bytes <= this.retentionMaxBytes.toBytes() && bytes < Integer.MAX_VALUE;
	}

}
