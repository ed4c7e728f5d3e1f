package io.courier.gateway.relay;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The client writes a broker connection's fan-out held while it handled the frames of one
 * socket read: written together once the read is handled, so that a session's frames of
 * that read leave in one socket write. Used on the connection's event-loop thread only.
 */
final class HeldWrites {

	private static final Log logger = LogFactory.getLog(HeldWrites.class);

	private final List<Runnable> writes = new ArrayList<>();

	void hold(Runnable write) {
		this.writes.add(write);
	}

	/**
	 * The read is handled: the writes held for it go out now, in the order they were
	 * held.
	 */
	void writeAll() {
		List<Runnable> writes = this.writes;
		for (int i = 0; i < writes.size(); i++) {
			try {
				writes.get(i).run();
			}
			catch (RuntimeException ex) {
				logger.warn("Failed to write to a client session", ex);
			}
		}
		writes.clear();
	}

}
