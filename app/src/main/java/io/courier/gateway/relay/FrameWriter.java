package io.courier.gateway.relay;

import java.util.function.Consumer;

/**
 * Writes a MESSAGE frame the relay encoded itself straight to a client session, in place
 * of sending it through the client outbound channel to Spring's STOMP handler, which
 * would decode nothing but build headers, encode and allocate again for every subscriber.
 * The writer must keep the order of frames it is given for a session with the frames the
 * channel writes for it (the relay calls both on the same thread).
 */
@FunctionalInterface
public interface FrameWriter {

	/**
	 * Queues the frame for the session. The writer may leave the write to a task it hands
	 * to {@code releases} (once for the frames it holds for a session until then): the
	 * relay runs those tasks once it has fanned out what one read from the broker
	 * brought, so that a session's frames of that read leave in one socket write. Returns
	 * {@code false} when this writer does not know the session, so the relay sends the
	 * frame through the client outbound channel instead.
	 */
	boolean write(String sessionId, EncodedFrame frame, Consumer<Runnable> releases);

}
