package io.courier.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Formatting for templates ({@code ${@fmt.age(instant)}}): short, UTC, no locale
 * surprises.
 */
@Component("fmt")
public class Formats {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	public String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) : "–";
	}

	/** How long ago, e.g. {@code 3 s ago}. */
	public String age(@Nullable Instant instant) {
		return (instant != null) ? duration(Duration.between(instant, Instant.now())) + " ago" : "–";
	}

	/** {@code 2 d 3 h}, {@code 4 h 5 min}, {@code 5 min 6 s}, {@code 7 s}. */
	public String duration(@Nullable Duration duration) {
		if (duration == null) {
			return "–";
		}
		long seconds = Math.max(0, duration.getSeconds());
		if (seconds >= 86400) {
			return (seconds / 86400) + " d " + (seconds % 86400 / 3600) + " h";
		}
		if (seconds >= 3600) {
			return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
		}
		if (seconds >= 60) {
			return (seconds / 60) + " min " + (seconds % 60) + " s";
		}
		return seconds + " s";
	}

	public String millis(long millis) {
		return duration(Duration.ofMillis(millis));
	}

	public String rate(double perSecond) {
		return String.format(Locale.ROOT, "%.1f/s", perSecond);
	}

	public String bytes(long bytes) {
		if (bytes >= 1L << 30) {
			return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
		}
		if (bytes >= 1L << 20) {
			return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
		}
		return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
	}

	public String number(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
	}

}
