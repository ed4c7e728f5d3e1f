package io.courier.gateway.relay;

/**
 * Writes a MESSAGE frame the relay encoded itself straight to a client session, in place of sending it through
 * the client outbound channel to Spring's STOMP handler, which would decode nothing but build headers, encode
 * and allocate again for every subscriber. The writer must keep the order of frames it is given for a session
 * with the frames the channel writes for it (the relay calls both on the same thread).
 */
@FunctionalInterface
public interface FrameWriter {

	/**
	 * Writes (queues) the frame for the session. Returns {@code false} when this writer does not know the session,
	 * so the relay sends the frame through the client outbound channel instead.
	 */
	boolean write(String sessionId, EncodedFrame frame);

}
