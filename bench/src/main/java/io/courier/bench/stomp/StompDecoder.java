package io.courier.bench.stomp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stateful STOMP 1.2 decoder for one connection: feed it the bytes as they arrive (a
 * WebSocket message may hold a part of a frame, one frame or several) and it returns the
 * complete frames. End-of-line bytes between frames are heart-beats and are counted, not
 * returned. A frame with {@code content-length} is read by length (its body may contain
 * NUL), otherwise up to the first NUL.
 */
public final class StompDecoder {

	private final int maxFrameBytes;

	private byte[] buffer = new byte[0];

	private long heartbeats;

	public StompDecoder() {
		this(1024 * 1024);
	}

	public StompDecoder(int maxFrameBytes) {
		this.maxFrameBytes = maxFrameBytes;
	}

	/** Heart-beats (bare end-of-lines) seen so far. */
	public long heartbeats() {
		return this.heartbeats;
	}

	public List<StompFrame> decode(String text) {
		return decode(text.getBytes(StandardCharsets.UTF_8));
	}

	public List<StompFrame> decode(byte[] bytes) {
		byte[] data = bytes;
		if (this.buffer.length > 0) {
			data = new byte[this.buffer.length + bytes.length];
			System.arraycopy(this.buffer, 0, data, 0, this.buffer.length);
			System.arraycopy(bytes, 0, data, this.buffer.length, bytes.length);
		}
		List<StompFrame> frames = new ArrayList<>(1);
		int pos = 0;
		while (pos < data.length) {
			if (data[pos] == '\n') {
				this.heartbeats++;
				pos++;
				continue;
			}
			if (data[pos] == '\r' && pos + 1 < data.length && data[pos + 1] == '\n') {
				this.heartbeats++;
				pos += 2;
				continue;
			}
			if (data[pos] == '\r') {
				break; // a CR whose LF has not arrived yet
			}
			int end = frameEnd(data, pos);
			if (end < 0) {
				break;
			}
			frames.add(parse(data, pos, end));
			pos = end + 1;
		}
		int rest = data.length - pos;
		if (rest > this.maxFrameBytes) {
			throw new StompFormatException("frame larger than " + this.maxFrameBytes + " bytes");
		}
		this.buffer = (rest == 0) ? new byte[0] : java.util.Arrays.copyOfRange(data, pos, data.length);
		return frames;
	}

	/** Index of the frame's terminating NUL, or -1 when the frame is not complete yet. */
	private static int frameEnd(byte[] data, int start) {
		int headersEnd = indexOfBlankLine(data, start);
		if (headersEnd < 0) {
			return -1;
		}
		int bodyStart = bodyStart(data, headersEnd);
		long contentLength = contentLength(data, start, headersEnd);
		if (contentLength >= 0) {
			long nul = bodyStart + contentLength;
			if (nul >= data.length) {
				return -1;
			}
			if (data[(int) nul] != 0) {
				throw new StompFormatException("no NUL after content-length " + contentLength + " bytes of body");
			}
			return (int) nul;
		}
		for (int i = bodyStart; i < data.length; i++) {
			if (data[i] == 0) {
				return i;
			}
		}
		return -1;
	}

	/** Index of the first byte of the blank line that ends the headers, or -1. */
	private static int indexOfBlankLine(byte[] data, int start) {
		for (int i = start; i < data.length; i++) {
			if (data[i] == '\n') {
				int next = i + 1;
				if (next < data.length && data[next] == '\n') {
					return next;
				}
				if (next + 1 < data.length && data[next] == '\r' && data[next + 1] == '\n') {
					return next;
				}
			}
			if (data[i] == 0) {
				throw new StompFormatException("NUL inside frame headers");
			}
		}
		return -1;
	}

	private static int bodyStart(byte[] data, int blankLine) {
		return (data[blankLine] == '\r') ? blankLine + 2 : blankLine + 1;
	}

	private static long contentLength(byte[] data, int start, int headersEnd) {
		String head = new String(data, start, headersEnd - start, StandardCharsets.UTF_8);
		int at = head.indexOf("\ncontent-length:");
		if (at < 0) {
			return -1;
		}
		int valueStart = at + "\ncontent-length:".length();
		int valueEnd = head.indexOf('\n', valueStart);
		String value = head.substring(valueStart, (valueEnd < 0) ? head.length() : valueEnd).trim();
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw new StompFormatException("bad content-length '" + value + "'");
		}
	}

	private static StompFrame parse(byte[] data, int start, int nul) {
		int blank = indexOfBlankLine(data, start);
		int bodyStart = bodyStart(data, blank);
		String head = new String(data, start, blank - start, StandardCharsets.UTF_8);
		String[] lines = head.split("\r?\n");
		String command = lines[0];
		boolean unescape = !command.equals("CONNECT") && !command.equals("CONNECTED");
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i];
			if (line.isEmpty()) {
				continue;
			}
			int colon = line.indexOf(':');
			if (colon < 0) {
				throw new StompFormatException("header line without ':' in " + command + ": " + line);
			}
			String name = line.substring(0, colon);
			String value = line.substring(colon + 1);
			headers.putIfAbsent(unescape ? unescape(name) : name, unescape ? unescape(value) : value);
		}
		byte[] body = (nul > bodyStart) ? java.util.Arrays.copyOfRange(data, bodyStart, nul) : StompFrame.NO_BODY;
		return new StompFrame(command, headers, body);
	}

	static String unescape(String value) {
		if (value.indexOf('\\') < 0) {
			return value;
		}
		StringBuilder out = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c != '\\') {
				out.append(c);
				continue;
			}
			if (i + 1 >= value.length()) {
				throw new StompFormatException("dangling escape in header '" + value + "'");
			}
			char next = value.charAt(++i);
			switch (next) {
				case '\\' -> out.append('\\');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 'c' -> out.append(':');
				default -> throw new StompFormatException("undefined escape \\" + next + " in header '" + value + "'");
			}
		}
		return out.toString();
	}

	/** The bytes are not STOMP 1.2. */
	public static final class StompFormatException extends RuntimeException {

		StompFormatException(String message) {
			super(message);
		}

	}

}
