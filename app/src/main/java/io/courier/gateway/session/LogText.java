package io.courier.gateway.session;

import org.jspecify.annotations.Nullable;

/**
 * A client-controlled value made safe for a log line: CR, LF and every other control
 * character become escapes ({@code \n}, {@code \r}, {@code \t}, {@code \u0000}), so a
 * value cannot start a line of its own that reads as the gateway's; very long values are
 * cut, so one cannot fill the log.
 */
public final class LogText {

	private static final int MAX = 512;

	private LogText() {
	}

	public static String escape(@Nullable Object value) {
		String text = String.valueOf(value);
		StringBuilder out = null;
		int length = Math.min(text.length(), MAX);
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c != 0x7f && c != '\\' && c != 0x2028 && c != 0x2029) {
				if (out != null) {
					out.append(c);
				}
				continue;
			}
			if (out == null) {
				out = new StringBuilder(length + 16).append(text, 0, i);
			}
			switch (c) {
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\\' -> out.append("\\\\");
				default -> out.append(String.format("\\u%04x", (int) c));
			}
		}
		String escaped = (out != null) ? out.toString() : text.substring(0, length);
		return (text.length() > MAX) ? escaped + "...(" + text.length() + " chars)" : escaped;
	}

}
