package io.courier.gateway.relay;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A STOMP frame the relay encoded once for every local subscriber that shares a
 * subscription id, with the form a {@link FrameWriter} writes (a WebSocket text message,
 * say) made at most once too and then shared.
 */
public final class EncodedFrame {

	private final byte[] bytes;

	private volatile @Nullable Object converted;

	EncodedFrame(byte[] bytes) {
		this.bytes = bytes;
	}

	/** The encoded frame; not to be modified. */
	public byte[] bytes() {
		return this.bytes;
	}

	/**
	 * The frame converted by {@code converter}, made on first use and kept: every writer
	 * of one relay must pass the same converter.
	 */
	@SuppressWarnings("unchecked")
	public <T> T as(Function<byte[], T> converter) {
		Object converted = this.converted;
		if (converted == null) {
			converted = converter.apply(this.bytes);
			this.converted = converted; // a race converts twice, harmlessly
		}
		return (T) converted;
	}

}
