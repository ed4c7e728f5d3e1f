package io.courier.bench;

import java.nio.charset.StandardCharsets;

/**
 * The bench's message bodies: JSON with a sequence number {@code seq} and the intended
 * send time {@code t} ({@link System#nanoTime()} of this JVM; the publisher and the
 * receivers are one process), padded to a size.
 */
final class BenchPayload {

	private BenchPayload() {
	}

	static String fanout(long seq, long intendedNanos, int size) {
		StringBuilder body = new StringBuilder(Math.max(size, 48)).append("{\"seq\":")
			.append(seq)
			.append(",\"t\":")
			.append(intendedNanos)
			.append(",\"pad\":\"");
		while (body.length() < size - 2) {
			body.append('x');
		}
		return body.append("\"}").toString();
	}

	static String orderEvent(String orderId, String userId, long seq, long intendedNanos) {
		return "{\"orderId\":\"" + orderId + "\",\"userId\":\"" + userId + "\",\"status\":\"BENCH\",\"seq\":" + seq
				+ ",\"t\":" + intendedNanos + "}";
	}

	/** {@code {seq, t}} read from a body, or null when the body has no bench fields. */
	static long[] parse(byte[] body) {
		long seq = number(body, "\"seq\":");
		long t = number(body, "\"t\":");
		return (seq < 0 || t == Long.MIN_VALUE) ? null : new long[] { seq, t };
	}

	private static long number(byte[] body, String key) {
		byte[] k = key.getBytes(StandardCharsets.US_ASCII);
		outer: for (int i = 0; i + k.length < body.length; i++) {
			for (int j = 0; j < k.length; j++) {
				if (body[i + j] != k[j]) {
					continue outer;
				}
			}
			int p = i + k.length;
			boolean negative = body[p] == '-';
			if (negative) {
				p++;
			}
			long value = 0;
			int digits = 0;
			while (p < body.length && body[p] >= '0' && body[p] <= '9') {
				value = value * 10 + (body[p++] - '0');
				digits++;
			}
			if (digits == 0) {
				return key.equals("\"t\":") ? Long.MIN_VALUE : -1;
			}
			return negative ? -value : value;
		}
		return key.equals("\"t\":") ? Long.MIN_VALUE : -1;
	}

}
