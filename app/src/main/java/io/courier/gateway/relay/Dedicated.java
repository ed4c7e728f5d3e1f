package io.courier.gateway.relay;

import java.util.Iterator;
import java.util.LinkedHashSet;

import org.jspecify.annotations.Nullable;

/**
 * A client subscription with a broker subscription of its own, on {@link #connection},
 * and, in {@code client} or {@code client-individual} ack mode, the ack ids of the
 * messages delivered and not yet acknowledged. The relay passes on only ACK/NACKs for ids
 * it delivered (RabbitMQ closes a connection on an unknown id).
 */
final class Dedicated implements Route {

	final ClientSession session;

	final String subscriptionId;

	final String brokerId;

	final BrokerConnection connection;

	private final boolean cumulative;

	private final boolean acked;

	private final LinkedHashSet<String> outstanding = new LinkedHashSet<>();

	Dedicated(ClientSession session, String subscriptionId, String brokerId, BrokerConnection connection,
			@Nullable String ackMode) {
		this.connection = connection;
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

	/** Whether {@code ackId} was delivered here and is not settled yet. */
	synchronized boolean isOutstanding(String ackId) {
		return this.outstanding.contains(ackId);
	}

	/**
	 * Whether {@code ackId} is outstanding here; if so it (and in {@code client} mode all
	 * before it) is settled.
	 */
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

	/**
	 * Whether messages wait for the client's ACK/NACK (client or client-individual ack
	 * mode).
	 */
	static boolean clientAcks(@Nullable String ackMode) {
		return "client".equals(ackMode) || "client-individual".equals(ackMode);
	}

}
