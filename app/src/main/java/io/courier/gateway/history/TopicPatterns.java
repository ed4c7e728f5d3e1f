package io.courier.gateway.history;

import java.util.List;

/**
 * AMQP topic matching ({@code *} one word, {@code #} zero or more), as RabbitMQ applies
 * the stream's bindings.
 */
final class TopicPatterns {

	private TopicPatterns() {
	}

	static boolean matchesAny(List<String> patterns, String routingKey) {
		return patterns.stream().anyMatch((pattern) -> matches(pattern, routingKey));
	}

	static boolean matches(String pattern, String routingKey) {
		return matches(pattern.split("\\.", -1), 0, routingKey.split("\\.", -1), 0);
	}

	private static boolean matches(String[] pattern, int p, String[] words, int w) {
		if (p == pattern.length) {
			return w == words.length;
		}
		if (pattern[p].equals("#")) {
			for (int next = w; next <= words.length; next++) {
				if (matches(pattern, p + 1, words, next)) {
					return true;
				}
			}
			return false;
		}
		if (w == words.length) {
			return false;
		}
		return (pattern[p].equals("*") || pattern[p].equals(words[w])) && matches(pattern, p + 1, words, w + 1);
	}

}
