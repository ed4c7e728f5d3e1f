package io.courier.bench.stomp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes frames as STOMP 1.2 text: {@code COMMAND\nname:value\n...\n\nbody\0}. Header
 * values are escaped ({@code \\}, {@code \n}, {@code \r}, {@code :}) except in CONNECT
 * and CONNECTED frames, where the spec forbids escaping. A non-empty body gets a
 * {@code content-length} header unless one is set.
 */
public final class StompEncoder {

	/** What a heart-beat is on the wire: a single end-of-line. */
	public static final String HEARTBEAT = "\n";

	private StompEncoder() {
	}

	public static byte[] encode(StompFrame frame) {
		boolean escape = !frame.command().equals("CONNECT") && !frame.command().equals("CONNECTED")
				&& !frame.command().equals("STOMP");
		StringBuilder head = new StringBuilder(128).append(frame.command()).append('\n');
		for (Map.Entry<String, String> header : frame.headers().entrySet()) {
			head.append(escape ? escape(header.getKey()) : header.getKey())
				.append(':')
				.append(escape ? escape(header.getValue()) : header.getValue())
				.append('\n');
		}
		if (frame.body().length > 0 && !frame.headers().containsKey("content-length")) {
			head.append("content-length:").append(frame.body().length).append('\n');
		}
		head.append('\n');
		byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream out = new ByteArrayOutputStream(headBytes.length + frame.body().length + 1);
		out.writeBytes(headBytes);
		out.writeBytes(frame.body());
		out.write(0);
		return out.toByteArray();
	}

	public static String encodeToString(StompFrame frame) {
		return new String(encode(frame), StandardCharsets.UTF_8);
	}

	static String escape(String value) {
		if (value.indexOf('\\') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0 && value.indexOf(':') < 0) {
			return value;
		}
		StringBuilder out = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case ':' -> out.append("\\c");
				default -> out.append(c);
			}
		}
		return out.toString();
	}

}
