package io.courier.gateway.relay;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A client subscription with a broker subscription of its own, and, in {@code client} or
 * {@code client-individual} ack mode, the ack ids of the messages delivered and not yet acknowledged. The relay
 * passes on only ACK/NACKs for ids it delivered (an unknown id would make RabbitMQ close the shared connection),
 * and nacks what is outstanding when the session ends, as closing a connection per session used to do.
 */
final class Dedicated {

	final ClientSession session;

	final String subscriptionId;

	final String brokerId;

	private final boolean cumulative;

	private final boolean acked;

	private final LinkedHashSet<String> outstanding = new LinkedHashSet<>();

	Dedicated(ClientSession session, String subscriptionId, String brokerId, @Nullable String ackMode) {
		this.session = session;
		this.subscriptionId = subscriptionId;
		this.brokerId = brokerId;
		this.acked = "client".equals(ackMode) || "client-individual".equals(ackMode);
		this.cumulative = "client".equals(ackMode);
	}

	synchronized void delivered(@Nullable String ackId) {
		if (this.acked && ackId != null) {
			this.outstanding.add(ackId);
		}
	}

	/** Whether {@code ackId} is outstanding here; if so it (and in {@code client} mode all before it) is settled. */
	synchronized boolean settle(String ackId) {
		if (!this.outstanding.contains(ackId)) {
			return false;
		}
		if (!this.cumulative) {
			this.outstanding.remove(ackId);
			return true;
		}
		for (Iterator<String> ids = this.outstanding.iterator(); ids.hasNext();) {
			String id = ids.next();
			ids.remove();
			if (id.equals(ackId)) {
				break;
			}
		}
		return true;
	}

	/** The ids to NACK so the broker redelivers what is outstanding: the last one in {@code client} mode. */
	synchronized List<String> drainForNack() {
		List<String> ids = new ArrayList<>(this.outstanding);
		this.outstanding.clear();
		if (this.cumulative && ids.size() > 1) {
			return List.of(ids.get(ids.size() - 1));
		}
		return ids;
	}

}
