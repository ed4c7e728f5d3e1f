package io.courier.gateway.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * A session's open STOMP transactions, held in the gateway: the SENDs, ACKs and NACKs of
 * a transaction wait here and go to the broker, in order, at COMMIT; ABORT (or the end of
 * the session) drops them. RabbitMQ's STOMP plugin does the same with a transaction (it
 * does not map to AMQP transactions), so nothing changes for the client, and no
 * transaction name ever reaches a broker connection other sessions share, where a name
 * RabbitMQ does not know would be refused.
 *
 * <p>
 * Bounded: at most {@link #MAX_OPEN} open transactions per session, {@link #MAX_FRAMES}
 * frames each.
 */
final class Transactions {

	static final int MAX_OPEN = 16;

	static final int MAX_FRAMES = 1000;

	private final Map<String, List<Message<byte[]>>> open = new HashMap<>();

	/**
	 * @return why the transaction cannot begin, or {@code null} when it has
	 */
	synchronized @Nullable String begin(String name) {
		if (this.open.containsKey(name)) {
			return "transaction " + name + " is already open";
		}
		if (this.open.size() >= MAX_OPEN) {
			return "at most " + MAX_OPEN + " transactions may be open at once";
		}
		this.open.put(name, new ArrayList<>());
		return null;
	}

	/**
	 * @return why the frame cannot join the transaction, or {@code null} when it has
	 */
	synchronized @Nullable String hold(String name, String command, Message<byte[]> frame) {
		List<Message<byte[]>> frames = this.open.get(name);
		if (frames == null) {
			return notOpen(command, name);
		}
		if (frames.size() >= MAX_FRAMES) {
			return "transaction " + name + " holds " + MAX_FRAMES + " frames, the most one may";
		}
		frames.add(frame);
		return null;
	}

	/**
	 * The transaction's frames, in order, and it is closed; {@code null} if it is not
	 * open.
	 */
	synchronized @Nullable List<Message<byte[]>> end(String name) {
		return this.open.remove(name);
	}

	synchronized void clear() {
		this.open.clear();
	}

	static String notOpen(String command, String name) {
		return command + " in transaction " + name + ", which is not open";
	}

}
