package io.courier.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A STOMP-over-WebSocket client on a bare socket, for what real clients cannot do on
 * purpose: stop reading. It shakes hands, sends frames, and otherwise leaves the socket
 * alone; its receive buffer is made small so the gateway's writes back up quickly.
 */
public final class RawStompSocket implements AutoCloseable {

	private static final SecureRandom random = new SecureRandom();

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private boolean lastBinary;

	private RawStompSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.in = socket.getInputStream();
	}

	/**
	 * Opens {@code ws://127.0.0.1:port/ws} with an allowed Origin and reads the 101
	 * response.
	 */
	public static RawStompSocket open(int port, int receiveBufferBytes) throws IOException {
		return open(port, receiveBufferBytes, new String[0]);
	}

	/**
	 * {@link #open(int, int)} with more handshake headers, each a {@code Name: value}
	 * line.
	 */
	public static RawStompSocket open(int port, int receiveBufferBytes, String... handshakeHeaders) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(receiveBufferBytes);
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		socket.setSoTimeout(10_000);
		RawStompSocket raw = new RawStompSocket(socket);
		byte[] key = new byte[16];
		random.nextBytes(key);
		String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
				+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n" + "Origin: http://localhost:"
				+ port + "\r\n"
				+ String.join("", java.util.Arrays.stream(handshakeHeaders).map((h) -> h + "\r\n").toList()) + "\r\n";
		raw.out.write(request.getBytes(StandardCharsets.US_ASCII));
		raw.out.flush();
		String head = raw.readHead();
		if (!head.startsWith("HTTP/1.1 101")) {
			socket.close();
			throw new IOException("handshake refused: " + head);
		}
		return raw;
	}

	/**
	 * Opens a socket and CONNECTs with these headers; fails unless the answer is
	 * CONNECTED.
	 */
	public static RawStompSocket connectWith(int port, String... headers) throws IOException {
		RawStompSocket socket = open(port, 64 * 1024);
		socket.sendFrame("CONNECT", headers);
		String answer = socket.readFrame();
		if (!answer.startsWith("CONNECTED")) {
			socket.close();
			throw new IOException("CONNECT refused: " + answer);
		}
		return socket;
	}

	/**
	 * Opens a socket and CONNECTs with {@code token} (no heart-beats); fails unless the
	 * answer is CONNECTED.
	 */
	public static RawStompSocket connect(int port, String token) throws IOException {
		return connect(port, 64 * 1024, token);
	}

	/**
	 * {@link #connect(int, String)} with a receive buffer of this size (a small one: a
	 * client that reads slowly).
	 */
	public static RawStompSocket connect(int port, int receiveBufferBytes, String token) throws IOException {
		RawStompSocket socket = open(port, receiveBufferBytes);
		socket.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0",
				"Authorization:Bearer " + token);
		String answer = socket.readFrame();
		if (!answer.startsWith("CONNECTED")) {
			socket.close();
			throw new IOException("CONNECT refused: " + answer);
		}
		return socket;
	}

	/**
	 * Sends one STOMP frame (command, headers as {@code name:value} lines, empty body) as
	 * a masked text frame.
	 */
	public void sendFrame(String command, String... headers) throws IOException {
		sendText(frame(command, headers));
	}

	/**
	 * One STOMP frame as text: command, headers as {@code name:value} lines, an empty
	 * body and the NUL.
	 */
	public static String frame(String command, String... headers) {
		StringBuilder frame = new StringBuilder(command).append('\n');
		for (String header : headers) {
			frame.append(header).append('\n');
		}
		return frame.append('\n').append('\0').toString();
	}

	/**
	 * A header's value in a frame {@link #readFrame} returned, STOMP 1.2 escapes decoded;
	 * "" when absent.
	 */
	public static String header(String frame, String name) {
		int end = frame.indexOf("\n\n");
		for (String line : frame.substring(0, (end >= 0) ? end : frame.length()).split("\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).equals(name)) {
				return line.substring(colon + 1)
					.replace("\\c", ":")
					.replace("\\n", "\n")
					.replace("\\r", "\r")
					.replace("\\\\", "\\");
			}
		}
		return "";
	}

	/**
	 * The body of a frame {@link #readFrame} returned, without its NUL and any
	 * end-of-lines after it.
	 */
	public static String body(String frame) {
		String body = frame.substring(frame.indexOf("\n\n") + 2);
		int end = body.length();
		while (end > 0 && (body.charAt(end - 1) == '\n' || body.charAt(end - 1) == '\r')) {
			end--; // end-of-lines after the NUL (RabbitMQ sends one): heart-beat padding,
					// not the body
		}
		return (end > 0 && body.charAt(end - 1) == '\0') ? body.substring(0, end - 1) : body;
	}

	/**
	 * Sends {@code text} as one masked WebSocket text message (any number of STOMP
	 * frames, or none).
	 */
	public void sendText(String text) throws IOException {
		sendMessage(0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends {@code bytes} as one masked WebSocket text message (a frame whose body is not
	 * UTF-8, as clients do).
	 */
	public void sendTextBytes(byte[] bytes) throws IOException {
		sendMessage(0x1, bytes.clone());
	}

	/** Sends {@code bytes} as one masked WebSocket binary message. */
	public void sendBinary(byte[] bytes) throws IOException {
		sendMessage(0x2, bytes.clone());
	}

	private void sendMessage(int opcode, byte[] payload) throws IOException {
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		int length = payload.length;
		this.out.write(0x80 | opcode);
		if (length < 126) {
			this.out.write(0x80 | length);
		}
		else if (length <= 0xFFFF) {
			this.out.write(0x80 | 126);
			this.out.write(length >>> 8);
			this.out.write(length & 0xFF);
		}
		else {
			this.out.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				this.out.write((int) (((long) length >>> shift) & 0xFF));
			}
		}
		this.out.write(mask);
		for (int i = 0; i < length; i++) {
			payload[i] ^= mask[i % 4];
		}
		this.out.write(payload);
		this.out.flush();
	}

	/**
	 * Reads the next text (or binary) frame the server sent (server frames are not
	 * masked); heart-beats are skipped.
	 */
	public String readFrame() throws IOException {
		return readFrame(false);
	}

	/**
	 * Reads the next frame, waiting at most {@code timeoutMillis}
	 * ({@link java.net.SocketTimeoutException}).
	 */
	public String readFrame(int timeoutMillis) throws IOException {
		int before = this.socket.getSoTimeout();
		this.socket.setSoTimeout(timeoutMillis);
		try {
			return readFrame(false);
		}
		finally {
			this.socket.setSoTimeout(before);
		}
	}

	/** As {@link #readFrameOrHeartbeat()}, waiting at most {@code timeoutMillis}. */
	public String readFrameOrHeartbeat(int timeoutMillis) throws IOException {
		int before = this.socket.getSoTimeout();
		this.socket.setSoTimeout(timeoutMillis);
		try {
			return readFrame(true);
		}
		finally {
			this.socket.setSoTimeout(before);
		}
	}

	/**
	 * Reads the next text frame; a heart-beat (an end-of-line alone) is returned as
	 * {@code "\n"}.
	 */
	public String readFrameOrHeartbeat() throws IOException {
		return readFrame(true);
	}

	/** Sends a heart-beat: an end-of-line alone, in a masked text frame. */
	public void sendHeartbeat() throws IOException {
		byte[] mask = new byte[4];
		random.nextBytes(mask);
		this.out.write(0x81);
		this.out.write(0x80 | 1);
		this.out.write(mask);
		this.out.write('\n' ^ mask[0]);
		this.out.flush();
	}

	/**
	 * Whether the frame {@link #readFrame()} returned last came in a binary WebSocket
	 * message.
	 */
	public boolean lastFrameWasBinary() {
		return this.lastBinary;
	}

	/**
	 * Reads the next text or binary message as bytes (heart-beats skipped), for bodies
	 * that are not text.
	 */
	public byte[] readFrameBytes() throws IOException {
		for (;;) {
			int opcode = readByte() & 0x0F;
			byte[] payload = readPayload();
			if (opcode == 0x8) {
				throw new IOException("closed by the server: " + new String(payload, StandardCharsets.UTF_8));
			}
			if ((opcode == 0x1 || opcode == 0x2) && !new String(payload, StandardCharsets.ISO_8859_1).isBlank()) {
				this.lastBinary = opcode == 0x2;
				return payload;
			}
		}
	}

	private byte[] readPayload() throws IOException {
		long length = readByte() & 0x7F;
		if (length == 126) {
			length = ((long) readByte() << 8) | readByte();
		}
		else if (length == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | readByte();
			}
		}
		return this.in.readNBytes(Math.toIntExact(length));
	}

	private String readFrame(boolean heartbeats) throws IOException {
		for (;;) {
			int opcode = readByte() & 0x0F;
			byte[] payload = readPayload();
			String text = new String(payload, StandardCharsets.UTF_8);
			if (opcode == 0x8) {
				throw new IOException("closed by the server: " + text);
			}
			if (opcode == 0x2) {
				this.lastBinary = true;
				return text;
			}
			if (opcode == 0x1 && (!text.isBlank() || (heartbeats && !text.isEmpty()))) {
				this.lastBinary = false;
				return text.isBlank() ? "\n" : text;
			}
		}
	}

	private int readByte() throws IOException {
		int b = this.in.read();
		if (b < 0) {
			throw new IOException("connection closed by the server");
		}
		return b;
	}

	/**
	 * Reads (and drops) frames until the server sends a close frame, closes or resets the
	 * connection: true; false if it is still open after the timeout.
	 */
	public boolean awaitServerClose(int timeoutMillis) throws IOException {
		this.socket.setSoTimeout(timeoutMillis);
		long deadline = System.currentTimeMillis() + timeoutMillis;
		try {
			while (System.currentTimeMillis() < deadline) {
				readFrame(true);
			}
			return false;
		}
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true; // a close frame, end of stream or a reset
		}
	}

	private String readHead() throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = this.in.read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
