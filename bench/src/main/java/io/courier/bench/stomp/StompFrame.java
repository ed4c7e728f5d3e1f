package io.courier.bench.stomp;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One STOMP 1.2 frame: command, headers in order (the first occurrence of a repeated
 * header wins, as the spec says) and the body bytes.
 */
public record StompFrame(String command, Map<String, String> headers, byte[] body) {

	public static final byte[] NO_BODY = new byte[0];

	public StompFrame {
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	public static StompFrame of(String command, String... headerPairs) {
		if (headerPairs.length % 2 != 0) {
			throw new IllegalArgumentException("header names and values come in pairs, got " + headerPairs.length);
		}
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < headerPairs.length; i += 2) {
			headers.putIfAbsent(headerPairs[i], headerPairs[i + 1]);
		}
		return new StompFrame(command, headers, NO_BODY);
	}

	public StompFrame withBody(String text) {
		return new StompFrame(this.command, this.headers, text.getBytes(StandardCharsets.UTF_8));
	}

	public String header(String name) {
		return this.headers.get(name);
	}

	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.command + this.headers + "(" + this.body.length + " bytes)";
	}

}
