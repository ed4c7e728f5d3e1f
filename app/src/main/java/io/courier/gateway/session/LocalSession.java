package io.courier.gateway.session;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What this node knows of one of its STOMP sessions, from CONNECT to disconnect: who,
 * from where, its live subscriptions, frames each way, the negotiated heart-beat and when
 * the client was last heard from. Updated by {@link LocalSessions} on the channel
 * threads, read by the console's requests.
 */
public final class LocalSession {

	private final String sessionId;

	private final String user;

	private final String remoteAddress;

	private final String userAgent;

	private final String transport;

	private final long[] clientHeartbeat;

	private final Map<String, String> subscriptions = new LinkedHashMap<>();

	private final AtomicLong framesIn = new AtomicLong();

	private final AtomicLong framesOut = new AtomicLong();

	private volatile @Nullable Instant connectedAt;

	private volatile long[] heartbeat = { 0, 0 };

	private volatile long lastActivity = System.currentTimeMillis();

	private volatile @Nullable String endReason;

	private final boolean internal;

	private final int counted;

	LocalSession(String sessionId, String user, String remoteAddress, String userAgent, String transport,
			long[] clientHeartbeat, boolean internal) {
		this.internal = internal;
		this.counted = internal ? 0 : 1;
		this.sessionId = sessionId;
		this.user = user;
		this.remoteAddress = remoteAddress;
		this.userAgent = userAgent;
		this.transport = transport;
		this.clientHeartbeat = clientHeartbeat;
	}

	public String sessionId() {
		return this.sessionId;
	}

	public String user() {
		return this.user;
	}

	public String remoteAddress() {
		return this.remoteAddress;
	}

	public String userAgent() {
		return this.userAgent;
	}

	public String transport() {
		return this.transport;
	}

	/**
	 * A session the node opened to itself ({@link InternalSessions}): not listed, counted
	 * or announced.
	 */
	public boolean internal() {
		return this.internal;
	}

	/**
	 * What a frame of this session adds to the node's counters: 0 if internal, else 1.
	 */
	int counted() {
		return this.counted;
	}

	/** When it got CONNECTED; null while the CONNECT is still on its way to RabbitMQ. */
	public @Nullable Instant connectedAt() {
		return this.connectedAt;
	}

	/** Live subscriptions, id to destination, in the order they were made. */
	public Map<String, String> subscriptions() {
		synchronized (this.subscriptions) {
			return new LinkedHashMap<>(this.subscriptions);
		}
	}

	public long framesIn() {
		return this.framesIn.get();
	}

	public long framesOut() {
		return this.framesOut.get();
	}

	/** Negotiated heart-beat in ms, client to server then server to client; 0 = none. */
	public long[] heartbeat() {
		return this.heartbeat.clone();
	}

	/** The last frame or heart-beat from the client. */
	public Instant lastActivity() {
		return Instant.ofEpochMilli(this.lastActivity);
	}

	@Nullable String endReason() {
		return this.endReason;
	}

	void subscribed(String id, String destination) {
		synchronized (this.subscriptions) {
			this.subscriptions.put(id, destination);
		}
	}

	void unsubscribed(String id) {
		synchronized (this.subscriptions) {
			this.subscriptions.remove(id);
		}
	}

	void received(boolean frame) {
		if (frame) {
			this.framesIn.incrementAndGet();
		}
		this.lastActivity = System.currentTimeMillis();
	}

	void sent() {
		this.framesOut.incrementAndGet();
	}

	/**
	 * CONNECTED with the server's heart-beat: STOMP 1.2 takes, each way, the larger of
	 * what one side offers and the other wants, or none if either says 0.
	 */
	void connected(long[] serverHeartbeat) {
		this.heartbeat = new long[] { negotiate(this.clientHeartbeat[0], serverHeartbeat[1]),
				negotiate(serverHeartbeat[0], this.clientHeartbeat[1]) };
		this.connectedAt = Instant.now();
	}

	/** Why the session ends, kept from the first reason given. */
	void ending(String reason) {
		if (this.endReason == null) {
			this.endReason = reason;
		}
	}

	private static long negotiate(long offered, long wanted) {
		return (offered == 0 || wanted == 0) ? 0 : Math.max(offered, wanted);
	}

}
