package io.courier.gateway.relay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.scheduling.TaskScheduler;

/**
 * A STOMP broker relay that multiplexes every client session of the node over a small
 * pool of broker connections, in place of Spring's relay, which opens one broker
 * connection per client session.
 *
 * <p>
 * The model: the node itself answers CONNECT (after the gateway's interceptors
 * authenticated it) and heart-beats with each client. Each client session is bound to one
 * pooled {@link BrokerConnection}, which carries its SENDs, its queue subscriptions and
 * its ACK/NACKs, so RabbitMQ sees one session's frames in order on one connection. A
 * plain auto-ack SUBSCRIBE to {@code /topic/...} joins the node's single broker
 * subscription to that destination ({@link Topic}), made on the first local subscription
 * and cancelled after the last; each broker MESSAGE is fanned out to the local
 * subscribers on the connection's event-loop thread, with no hop through a thread pool,
 * so every subscriber sees the broker's order; a session's frames of one socket read are
 * held in its buffer and written together when the read is handled. Any other SUBSCRIBE
 * (queues, {@code /exchange/...}, client acks, broker-specific headers) becomes a broker
 * subscription of its own on the session's connection, so competing consumers, acks,
 * nacks and redelivery behave as with a connection per session. Receipts are mapped to
 * broker receipts and answered when the broker answers.
 *
 * <p>
 * No client can close a connection another session rides on: frames RabbitMQ could refuse
 * (queues, headers beyond the specification's, client acks) go on the session's own
 * broker connection ({@link SharedConnectionPolicy}), transactions are held in the
 * gateway until COMMIT ({@link Transactions}), and what the relay can check itself
 * (subscription ids, ack modes, ack ids, transaction names) it checks before anything
 * reaches the broker. An ERROR from RabbitMQ on a session's own connection ends that
 * session alone, with {@code broker refused: <RabbitMQ's text>}.
 *
 * <p>
 * When a broker connection is lost, every session that depended on it (bound to it, or
 * subscribed to a topic it carried) gets ERROR
 * {@code broker unavailable: Connection to broker closed.} and is closed: messages
 * published while the subscription was down cannot be replayed, so the relay does not
 * pretend nothing was lost. Clients reconnect; the connection reconnects with backoff.
 *
 * <p>
 * Messages the application sends ({@code SimpMessagingTemplate}, user destinations) go
 * out on the connection chosen by their destination, so one destination's messages keep
 * their order.
 *
 * <p>
 * This class is the relay's face to Spring: it dispatches frames to the roles that handle
 * them, each a type of its own in this package: {@link ConnectionPool},
 * {@link SessionRegistry} (sessions and client heart-beats), {@link Subscriptions}
 * (topics and dedicated subscriptions, by {@link Route}), {@link ClientFrames} (SEND,
 * ACK, transactions), {@link ApplicationFrames}, {@link TopicFanOut}, {@link Receipts},
 * {@link ClientReplies} and {@link BrokerFrames} (what the broker connections bring).
 */
public class MultiplexedRelayMessageHandler extends AbstractBrokerMessageHandler {

	private static final String SYSTEM_SESSION_ID = "_system_";

	/**
	 * Where {@link StompHeaderAccessor} keeps the command of a frame a client sent (a
	 * private constant there).
	 */
	private static final String STOMP_COMMAND_HEADER = "stompCommand";

	private final RelaySettings settings;

	private final TaskScheduler scheduler;

	private final ConnectionPool pool;

	private final SessionRegistry sessions;

	private final Subscriptions subscriptions;

	private final ClientFrames clientFrames;

	private final ApplicationFrames applicationFrames;

	private final TopicFanOut fanOut;

	private final BrokerFrames brokerFrames;

	public MultiplexedRelayMessageHandler(SubscribableChannel clientInboundChannel,
			MessageChannel clientOutboundChannel, SubscribableChannel brokerChannel,
			Collection<String> destinationPrefixes, RelaySettings settings, TaskScheduler scheduler) {
		super(clientInboundChannel, clientOutboundChannel, brokerChannel, destinationPrefixes);
		this.settings = settings;
		this.scheduler = scheduler;
		this.pool = new ConnectionPool(settings, scheduler);
		ClientReplies replies = new ClientReplies(clientOutboundChannel);
		Receipts receipts = new Receipts(replies);
		this.sessions = new SessionRegistry(settings, this.pool, replies, receipts, this::releaseSubscriptions);
		this.subscriptions = new Subscriptions(this.pool, receipts, replies, this.sessions);
		this.clientFrames = new ClientFrames(this.pool, receipts, replies, this.sessions);
		this.applicationFrames = new ApplicationFrames(this.pool);
		this.fanOut = new TopicFanOut(replies);
		this.brokerFrames = new BrokerFrames(this.pool, this.sessions, this.subscriptions, receipts, this.fanOut,
				replies, new BrokerFrames.Availability() {

					@Override
					public void available() {
						publishBrokerAvailableEvent();
					}

					@Override
					public void unavailable() {
						publishBrokerUnavailableEvent();
					}

				});
	}

	/**
	 * Where topic MESSAGEs go once encoded (a session's outbound buffer), skipping the
	 * client outbound channel; without one, every frame goes through the channel.
	 */
	public void setFrameWriter(@Nullable FrameWriter frameWriter) {
		this.fanOut.writeTo(frameWriter);
	}

	/**
	 * Destination prefixes whose SUBSCRIBE and SEND frames RabbitMQ cannot refuse (given
	 * plain headers), so they may share broker connections: {@code /topic/} by default;
	 * the gateway adds its user exchange.
	 */
	public void setSharedDestinationPrefixes(List<String> prefixes) {
		this.pool.share(new SharedConnectionPolicy(prefixes));
	}

	/**
	 * Delivers shared destinations through node queues: {@code count} queues named
	 * {@code namePrefix + i}, each consumed on pooled connection {@code i} and bound by
	 * {@code bindings} with the keys its topics need. Without this, each shared
	 * destination is a broker subscription of its own (a queue per destination per node).
	 */
	public void setNodeQueues(String namePrefix, int count, NodeQueueBindings bindings) {
		this.pool.consume(new NodeQueues(namePrefix, Math.min(count, this.settings.connections()), bindings));
	}

	/** The node queues' names, in order; empty without node queues. */
	public List<String> nodeQueueNames() {
		NodeQueues queues = this.pool.nodeQueues();
		List<String> names = new ArrayList<>();
		for (int i = 0; queues != null && i < queues.count(); i++) {
			names.add(queues.name(i));
		}
		return names;
	}

	/** A snapshot for metrics and tests. */
	public Stats stats() {
		return new Stats(this.pool.size(), this.pool.up(), this.sessions.size(), this.subscriptions.topicCount(),
				this.subscriptions.routeCount(), this.sessions.subscriptionCount());
	}

	/**
	 * Each pooled broker connection: the broker address it is on (or tries next) and
	 * whether it is up.
	 */
	public List<ConnectionState> connections() {
		return this.pool.states();
	}

	@Override
	protected void startInternal() {
		this.pool.start(this.brokerFrames);
		this.sessions.startHeartbeats(this.scheduler);
	}

	@Override
	protected void stopInternal() {
		this.sessions.stopHeartbeats();
		publishBrokerUnavailableEvent();
		this.pool.stop();
	}

	@Override
	protected void handleMessageInternal(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
		boolean isMessage = SimpMessageType.MESSAGE.equals(SimpMessageHeaderAccessor.getMessageType(headers));
		boolean fromApplication = isMessage && headers.get(STOMP_COMMAND_HEADER) == null;
		// An application message may name a session (@SendToUser(broadcast = false)): it
		// is still the
		// application's, not a frame of that client, so it goes out like any other, as a
		// SEND.
		if (sessionId == null || SYSTEM_SESSION_ID.equals(sessionId) || fromApplication) {
			String destination = SimpMessageHeaderAccessor.getDestination(headers);
			if (isMessage && checkDestinationPrefix(destination)) {
				this.applicationFrames.send(message, destination);
			}
			return;
		}
		ClientSession session = this.sessions.get(sessionId);
		if (session != null) {
			session.lastReadNanos = System.nanoTime();
		}
		StompHeaderAccessor accessor = Frames.stompAccessor(message);
		StompCommand command = accessor.getCommand();
		if (command == null) {
			return; // a heart-beat: it counted as the client being alive
		}
		if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
			this.sessions.connect(sessionId, message, accessor);
			return;
		}
		if (command == StompCommand.DISCONNECT) {
			this.sessions.disconnect(session, message, accessor);
			return;
		}
		if (session == null || session.closed
				|| (command.requiresDestination() && !checkDestinationPrefix(accessor.getDestination()))) {
			return;
		}
		switch (command) {
			case SUBSCRIBE -> this.subscriptions.subscribe(session, message, accessor);
			case UNSUBSCRIBE -> this.subscriptions.unsubscribe(session, accessor);
			default -> this.clientFrames.forward(session, message, accessor); // SEND,
																				// ACK,
																				// NACK,
																				// BEGIN,
																				// COMMIT,
																				// ABORT
		}
	}

	private void releaseSubscriptions(ClientSession session) {
		this.subscriptions.releaseAll(session);
	}

	/**
	 * A pooled broker connection: its index in the pool, the broker address it is on (or
	 * tries next), up or not.
	 */
	public record ConnectionState(int index, String address, boolean up) {
	}

	/**
	 * The relay's state: broker connections (configured, up), client sessions, node-wide
	 * topic subscriptions, broker subscriptions (topics, client queue subscriptions) and
	 * client subscriptions.
	 */
	public record Stats(int connections, int connectionsUp, int sessions, int topics, int brokerSubscriptions,
			int clientSubscriptions) {
	}

}
