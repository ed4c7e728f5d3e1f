package io.courier.gateway.relay;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.MimeTypeUtils;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.LogText;

/**
 * A STOMP broker relay that multiplexes every client session of the node over a small pool of broker
 * connections, in place of Spring's relay, which opens one broker connection per client session.
 *
 * <p>The model: the node itself answers CONNECT (after the gateway's interceptors authenticated it) and
 * heart-beats with each client. Each client session is bound to one pooled {@link BrokerConnection}, which
 * carries its SENDs, its queue subscriptions and its ACK/NACKs, so RabbitMQ sees one session's frames in order
 * on one connection. A plain auto-ack SUBSCRIBE to {@code /topic/...} joins the node's single broker
 * subscription to that destination ({@link Topic}), made on the first local subscription and cancelled after
 * the last; each broker MESSAGE is fanned out to the local subscribers on the connection's event-loop thread,
 * with no hop through a thread pool, so every subscriber sees the broker's order; a session's frames of one
 * socket read are held in its buffer and written together when the read is handled. Any other SUBSCRIBE (queues,
 * {@code /exchange/...}, client acks, broker-specific headers) becomes a broker subscription of its own on the
 * session's connection, so competing consumers, acks, nacks and redelivery behave as with a connection per
 * session. Receipts are mapped to broker receipts and answered when the broker answers.
 *
 * <p>No client can close a connection another session rides on: frames RabbitMQ could refuse (queues, headers
 * beyond the specification's, client acks) go on the session's own broker connection
 * ({@link SharedConnectionPolicy}), transactions are held in the gateway until COMMIT ({@link Transactions}), and
 * what the relay can check itself (subscription ids, ack modes, ack ids, transaction names) it checks before
 * anything reaches the broker. An ERROR from RabbitMQ on a session's own connection ends that session alone, with
 * {@code broker refused: <RabbitMQ's text>}.
 *
 * <p>When a broker connection is lost, every session that depended on it (bound to it, or subscribed to a
 * topic it carried) gets ERROR {@code Connection to broker closed.} and is closed: messages published while the
 * subscription was down cannot be replayed, so the relay does not pretend nothing was lost. Clients reconnect;
 * the connection reconnects with backoff.
 *
 * <p>Messages the application sends ({@code SimpMessagingTemplate}, user destinations) go out on the connection
 * chosen by their destination, so one destination's messages keep their order.
 */
public class MultiplexedRelayMessageHandler extends AbstractBrokerMessageHandler
		implements BrokerConnection.Listener {

	private static final byte[] EMPTY = new byte[0];

	private static final String SYSTEM_SESSION_ID = "_system_";

	/** Where {@link StompHeaderAccessor} keeps the command of a frame a client sent (a private constant there). */
	private static final String STOMP_COMMAND_HEADER = "stompCommand";

	private static final long HEARTBEAT_SWEEP_MILLIS = 500;

	private static final String TRANSACTION = "transaction";

	private static final String RECEIPT = "receipt";

	private static final Set<String> ACK_MODES = Set.of("auto", "client", "client-individual");

	/** SUBSCRIBE headers that ask the broker for something particular: such a subscription is not shared. */
	private static final Set<String> SHAREABLE_HEADERS = Set.of("destination", "id", "ack", "receipt",
			"content-length", "content-type", "subscription-token", SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);

	private final RelaySettings settings;

	private final TaskScheduler scheduler;

	private final List<StompTcpClient> clients = new ArrayList<>();

	/** The broker connections' event loops (they fan out too); made on start, shut down on stop. */
	private volatile @Nullable EventLoopGroup loops;

	private final List<BrokerConnection> connections = new ArrayList<>();

	private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();

	private final Map<String, Topic> topics = new ConcurrentHashMap<>();

	/** Broker subscription id to what receives its MESSAGEs. */
	private final Map<String, Route> routes = new ConcurrentHashMap<>();

	/** Broker receipt id to what it confirms. */
	private final Map<String, PendingReceipt> receipts = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private volatile @Nullable ScheduledFuture<?> heartbeats;

	private final StompEncoder encoder = new StompEncoder();

	private volatile @Nullable FrameWriter frameWriter;

	private volatile SharedConnectionPolicy sharing = new SharedConnectionPolicy(List.of("/topic/"));

	/** The node's queues; {@code null}: each shared destination is a broker subscription of its own. */
	private volatile @Nullable NodeQueues nodeQueues;

	public MultiplexedRelayMessageHandler(SubscribableChannel clientInboundChannel,
			MessageChannel clientOutboundChannel, SubscribableChannel brokerChannel,
			Collection<String> destinationPrefixes, RelaySettings settings, TaskScheduler scheduler) {
		super(clientInboundChannel, clientOutboundChannel, brokerChannel, destinationPrefixes);
		this.settings = settings;
		this.scheduler = scheduler;
	}

	/**
	 * Where topic MESSAGEs go once encoded (a session's outbound buffer), skipping the client outbound channel;
	 * without one, every frame goes through the channel.
	 */
	public void setFrameWriter(@Nullable FrameWriter frameWriter) {
		this.frameWriter = frameWriter;
	}

	/**
	 * Destination prefixes whose SUBSCRIBE and SEND frames RabbitMQ cannot refuse (given plain headers), so they may
	 * share broker connections: {@code /topic/} by default; the gateway adds its user exchange.
	 */
	public void setSharedDestinationPrefixes(List<String> prefixes) {
		this.sharing = new SharedConnectionPolicy(prefixes);
	}

	/**
	 * Delivers shared destinations through node queues: {@code count} queues named {@code namePrefix + i}, each
	 * consumed on pooled connection {@code i} and bound by {@code bindings} with the keys its topics need. Without
	 * this, each shared destination is a broker subscription of its own (a queue per destination per node).
	 */
	public void setNodeQueues(String namePrefix, int count, NodeQueueBindings bindings) {
		this.nodeQueues = new NodeQueues(namePrefix, Math.min(count, this.settings.connections()), bindings);
	}

	/** The node queues' names, in order; empty without node queues. */
	public List<String> nodeQueueNames() {
		NodeQueues queues = this.nodeQueues;
		List<String> names = new ArrayList<>();
		for (int i = 0; queues != null && i < queues.count(); i++) {
			names.add(queues.name(i));
		}
		return names;
	}

	/** A snapshot for metrics and tests. */
	public Stats stats() {
		int up = (int) this.connections.stream().filter(BrokerConnection::isConnected).count();
		int subscriptions = this.sessions.values().stream().mapToInt((s) -> s.subscriptions.size()).sum();
		return new Stats(this.connections.size(), up, this.sessions.size(), this.topics.size(),
				this.routes.size(), subscriptions);
	}

	@Override
	protected void startInternal() {
		int threads = Math.min(this.settings.connections(), Runtime.getRuntime().availableProcessors());
		EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads,
				new DefaultThreadFactory("courier-broker", true), NioIoHandler.newFactory());
		this.loops = loops;
		for (String address : this.settings.addresses()) {
			this.clients.add(new StompTcpClient(RelaySettings.host(address), RelaySettings.port(address), loops));
		}
		for (int i = 0; i < this.settings.connections(); i++) {
			this.connections.add(new BrokerConnection(i, this.clients, this.settings, this.scheduler, this));
		}
		this.connections.forEach(BrokerConnection::start);
		this.heartbeats = this.scheduler.scheduleWithFixedDelay(this::checkHeartbeats,
				Duration.ofMillis(HEARTBEAT_SWEEP_MILLIS));
	}

	@Override
	protected void stopInternal() {
		ScheduledFuture<?> heartbeats = this.heartbeats;
		if (heartbeats != null) {
			heartbeats.cancel(false);
		}
		publishBrokerUnavailableEvent();
		this.connections.forEach(BrokerConnection::stop);
		NodeQueues queues = this.nodeQueues;
		if (queues != null) {
			queues.deleteAll(Duration.ofSeconds(2)); // else RabbitMQ removes them once they expire
		}
		EventLoopGroup loops = this.loops;
		if (loops != null) {
			try {
				loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.loops = null;
		}
		this.connections.clear();
		this.clients.clear();
	}

	// ---- frames from clients and from the application

	@Override
	protected void handleMessageInternal(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
		boolean isMessage = SimpMessageType.MESSAGE.equals(SimpMessageHeaderAccessor.getMessageType(headers));
		boolean fromApplication = isMessage && headers.get(STOMP_COMMAND_HEADER) == null;
		// An application message may name a session (@SendToUser(broadcast = false)): it is still the
		// application's, not a frame of that client, so it goes out like any other, as a SEND.
		if (sessionId == null || SYSTEM_SESSION_ID.equals(sessionId) || fromApplication) {
			if (isMessage) {
				sendFromApplication(message);
			}
			return;
		}
		ClientSession session = this.sessions.get(sessionId);
		if (session != null) {
			session.lastReadNanos = System.nanoTime();
		}
		StompHeaderAccessor accessor = stompAccessor(message);
		StompCommand command = accessor.getCommand();
		if (command == null) {
			return; // a heart-beat: it counted as the client being alive
		}
		if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
			connect(sessionId, message, accessor);
			return;
		}
		if (command == StompCommand.DISCONNECT) {
			disconnect(sessionId, session, message, accessor);
			return;
		}
		if (session == null || session.closed) {
			return;
		}
		if (command.requiresDestination() && !checkDestinationPrefix(accessor.getDestination())) {
			return;
		}
		switch (command) {
			case SUBSCRIBE -> subscribe(session, message, accessor);
			case UNSUBSCRIBE -> unsubscribe(session, accessor);
			default -> forward(session, message, accessor); // SEND, ACK, NACK, BEGIN, COMMIT, ABORT
		}
	}

	private void connect(String sessionId, Message<?> message, StompHeaderAccessor accessor) {
		Principal user = accessor.getUser();
		if (this.sessions.containsKey(sessionId)) {
			logger.warn("Ignoring CONNECT in session " + sessionId + ": already connected");
			return;
		}
		BrokerConnection connection = pick(sessionId.hashCode());
		if (connection == null) {
			sendError(sessionId, user, ClientError.BROKER_UNAVAILABLE.text("Broker not available."), null);
			return;
		}
		long[] client = accessor.getHeartbeat();
		long offerSend = this.settings.clientHeartbeatSend().toMillis();
		long wantReceive = this.settings.clientHeartbeatReceive().toMillis();
		long send = (offerSend > 0 && client[1] > 0) ? Math.max(offerSend, client[1]) : 0;
		long receive = (wantReceive > 0 && client[0] > 0) ? Math.max(wantReceive, client[0]) : 0;
		ClientSession session = new ClientSession(sessionId, user, connection, send, receive);
		this.sessions.put(sessionId, session);

		SimpMessageHeaderAccessor ack = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT_ACK);
		ack.setSessionId(sessionId);
		if (user != null) {
			ack.setUser(user);
		}
		ack.setHeader(SimpMessageHeaderAccessor.CONNECT_MESSAGE_HEADER, message);
		ack.setHeader(SimpMessageHeaderAccessor.HEART_BEAT_HEADER, new long[] { send, receive });
		toClient(session, MessageBuilder.createMessage(EMPTY, ack.getMessageHeaders()));
	}

	/**
	 * Ends the session; a DISCONNECT with a receipt is answered with Spring's DISCONNECT_ACK, which its STOMP
	 * handler turns into the RECEIPT (and after which the gateway closes the socket).
	 */
	private void disconnect(String sessionId, @Nullable ClientSession session, Message<?> message,
			StompHeaderAccessor accessor) {
		if (session != null) {
			end(session);
			if (accessor.getReceipt() != null) {
				SimpMessageHeaderAccessor ack = SimpMessageHeaderAccessor.create(SimpMessageType.DISCONNECT_ACK);
				ack.setSessionId(sessionId);
				ack.setHeader(SimpMessageHeaderAccessor.DISCONNECT_MESSAGE_HEADER, message);
				getClientOutboundChannel().send(MessageBuilder.createMessage(EMPTY, ack.getMessageHeaders()));
			}
		}
	}

	private void subscribe(ClientSession session, Message<?> message, StompHeaderAccessor accessor) {
		String id = accessor.getSubscriptionId();
		String destination = accessor.getDestination();
		String receipt = accessor.getReceipt();
		if (id == null || destination == null) {
			fail(session, ClientError.INVALID_FRAME.text("SUBSCRIBE needs an id and a destination"), receipt);
			return;
		}
		if (session.subscriptions.containsKey(id)) {
			fail(session, ClientError.INVALID_FRAME.text("duplicated subscription id " + id), receipt);
			return;
		}
		String ack = accessor.getAck();
		if (ack != null && !ACK_MODES.contains(ack)) {
			fail(session, ClientError.INVALID_FRAME.text("ack mode " + ack + " (auto, client or client-individual)"),
					receipt);
			return;
		}
		if (isShareable(destination, accessor)) {
			BrokerConnection connection = pickForTopic(destination.hashCode());
			if (connection == null) {
				fail(session, ClientError.BROKER_UNAVAILABLE.text("Broker not available."), receipt);
				return;
			}
			Topic.Subscriber subscriber = new Topic.Subscriber(session, id);
			Topic topic = this.topics.compute(destination, (key, existing) -> {
				Topic joined = (existing != null) ? existing : openTopic(destination, connection);
				joined.add(subscriber);
				return joined;
			});
			if (topic.clientDestination == null) {
				topic.clientDestination = originalDestination(accessor);
			}
			session.subscriptions.put(id, new ClientSession.Subscription(id, destination, topic, null));
			if (session.closed) { // ended meanwhile by a broker loss or heart-beat timeout
				release(session, session.subscriptions.remove(id), null);
				return;
			}
			if (receipt != null) {
				topic.whenConfirmed(() -> sendReceipt(session, receipt));
			}
			return;
		}
		String brokerId = "s" + this.ids.incrementAndGet();
		boolean isolate = Dedicated.clientAcks(ack)
				|| !this.sharing.allows(StompCommand.SUBSCRIBE, destination, accessor.toNativeHeaderMap());
		BrokerConnection connection = isolate ? ownConnection(session) : session.connection;
		Dedicated dedicated = new Dedicated(session, id, brokerId, connection, accessor.getAck());
		this.routes.put(brokerId, dedicated);
		session.subscriptions.put(id, new ClientSession.Subscription(id, destination, null, dedicated));
		if (session.closed) { // ended meanwhile by a broker loss or heart-beat timeout
			release(session, session.subscriptions.remove(id), null);
			return;
		}
		StompHeaderAccessor out = StompHeaderAccessor.wrap(message);
		out.setSubscriptionId(brokerId);
		out.removeNativeHeader(BrokerHeaders.SUBSCRIPTION_TOKEN); // the gateway's proof of ownership, not RabbitMQ's
		mapReceipt(out, session, connection);
		connection.send(MessageBuilder.createMessage(EMPTY, out.getMessageHeaders()));
	}

	private synchronized BrokerConnection ownConnection(ClientSession session) {
		BrokerConnection own = session.ownConnection;
		if (own == null) {
			own = BrokerConnection.forSession(this.clients, this.settings, this.scheduler, this);
			session.ownConnection = own;
			own.start();
		}
		return own;
	}

	/** Called inside {@code topics.compute}: the broker subscription is made under the destination's lock. */
	private Topic openTopic(String destination, BrokerConnection connection) {
		NodeQueues queues = this.nodeQueues;
		TopicBinding binding = (queues != null) ? TopicBinding.of(destination) : null;
		if (queues != null && binding != null) {
			Topic topic = new Topic(destination, null, binding, connection);
			queues.bind(connection.index(), binding).whenComplete((done, ex) -> {
				if (ex == null) {
					topic.confirm();
				}
				else {
					for (Topic.Subscriber subscriber : topic.subscribers()) {
						fail(subscriber.session(), ClientError.BROKER_UNAVAILABLE.text("could not bind " + destination
								+ " to the node queue: " + ex.getMessage()), null);
					}
				}
			});
			return topic;
		}
		Topic topic = new Topic(destination, "t" + this.ids.incrementAndGet(), null, connection);
		this.routes.put(topic.brokerId, topic);
		String receipt = "r" + this.ids.incrementAndGet();
		this.receipts.put(receipt, new PendingReceipt(connection, null, null, topic::confirm));
		StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setSubscriptionId(topic.brokerId);
		subscribe.setDestination(destination);
		subscribe.setAck("auto");
		subscribe.setReceipt(receipt);
		connection.send(MessageBuilder.createMessage(EMPTY, subscribe.getMessageHeaders()));
		return topic;
	}

	private void unsubscribe(ClientSession session, StompHeaderAccessor accessor) {
		String id = accessor.getSubscriptionId();
		ClientSession.Subscription subscription = (id != null) ? session.subscriptions.remove(id) : null;
		String receipt = accessor.getReceipt();
		if (subscription != null) {
			release(session, subscription, receipt);
		}
		else if (receipt != null) {
			sendReceipt(session, receipt);
		}
	}

	/** Leaves a topic (cancelling the broker subscription after the last) or cancels a dedicated subscription. */
	private void release(ClientSession session, ClientSession.@Nullable Subscription subscription,
			@Nullable String receipt) {
		if (subscription == null) {
			return;
		}
		Topic topic = subscription.topic();
		if (topic != null) {
			this.topics.computeIfPresent(subscription.destination(), (key, current) -> {
				if (current != topic || topic.remove(session, subscription.clientId()) > 0) {
					return current;
				}
				closeTopic(topic);
				return null;
			});
			if (receipt != null) {
				sendReceipt(session, receipt);
			}
			return;
		}
		Dedicated dedicated = subscription.dedicated();
		if (dedicated != null) {
			this.routes.remove(dedicated.brokerId);
			unsubscribeAtBroker(dedicated.connection, dedicated.brokerId, session, receipt);
		}
	}

	/** The last local subscriber left: the binding or broker subscription goes. */
	private void closeTopic(Topic topic) {
		NodeQueues queues = this.nodeQueues;
		if (topic.binding != null && queues != null) {
			queues.unbind(topic.connection.index(), topic.binding);
		}
		else if (topic.brokerId != null) {
			this.routes.remove(topic.brokerId);
			unsubscribeAtBroker(topic.connection, topic.brokerId, null, null);
		}
	}

	private void unsubscribeAtBroker(BrokerConnection connection, String brokerId, @Nullable ClientSession session,
			@Nullable String clientReceipt) {
		StompHeaderAccessor unsubscribe = StompHeaderAccessor.create(StompCommand.UNSUBSCRIBE);
		unsubscribe.setSubscriptionId(brokerId);
		if (session != null && clientReceipt != null) {
			unsubscribe.setReceipt(clientReceipt);
			mapReceipt(unsubscribe, session, connection);
		}
		connection.send(MessageBuilder.createMessage(EMPTY, unsubscribe.getMessageHeaders()));
	}

	/** SEND, ACK, NACK, BEGIN, COMMIT, ABORT. */
	private void forward(ClientSession session, Message<?> message, StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		String receipt = accessor.getReceipt();
		String transaction = accessor.getFirstNativeHeader(TRANSACTION);
		@SuppressWarnings("unchecked")
		Message<byte[]> frame = (Message<byte[]>) message;
		if (command == StompCommand.BEGIN || command == StompCommand.COMMIT || command == StompCommand.ABORT) {
			transaction(session, command, transaction, receipt);
			return;
		}
		if (transaction == null) {
			BrokerConnection connection = route(session, command, accessor);
			if (connection != null) {
				connection.send(withBrokerReceipt(asSent(frame), session, connection, receipt, null));
			}
			return;
		}
		if ((command == StompCommand.ACK || command == StompCommand.NACK)
				&& !isOutstanding(session, accessor.getFirstNativeHeader("id"))) {
			failUnknownAck(session, command, accessor);
			return;
		}
		String refused = session.transactions.hold(transaction, command.name(), withoutTransaction(frame));
		if (refused != null) {
			fail(session, ClientError.INVALID_FRAME.text(refused), receipt);
		}
		else if (receipt != null) {
			sendReceipt(session, receipt);
		}
	}

	private void transaction(ClientSession session, StompCommand command, @Nullable String transaction,
			@Nullable String receipt) {
		if (transaction == null) {
			fail(session, ClientError.INVALID_FRAME.text(command + " needs a transaction header"), receipt);
			return;
		}
		if (command == StompCommand.BEGIN) {
			String refused = session.transactions.begin(transaction);
			if (refused != null) {
				fail(session, ClientError.INVALID_FRAME.text(refused), receipt);
			}
			else if (receipt != null) {
				sendReceipt(session, receipt);
			}
			return;
		}
		List<Message<byte[]>> frames = session.transactions.end(transaction);
		if (frames == null) {
			fail(session, ClientError.INVALID_FRAME.text(Transactions.notOpen(command.name(), transaction)), receipt);
			return;
		}
		if (command == StompCommand.ABORT) {
			if (receipt != null) {
				sendReceipt(session, receipt);
			}
			return;
		}
		commit(session, frames, receipt);
	}

	/**
	 * Sends a committed transaction's frames in order. Its receipt is answered once the broker has confirmed the
	 * last frame on each connection they went to.
	 */
	private void commit(ClientSession session, List<Message<byte[]>> frames, @Nullable String receipt) {
		List<BrokerConnection> routes = new ArrayList<>(frames.size());
		for (Message<byte[]> frame : frames) {
			StompHeaderAccessor accessor = stompAccessor(frame);
			BrokerConnection connection = route(session, accessor.getCommand(), accessor);
			if (connection == null) {
				return; // the session failed; nothing of the transaction was sent
			}
			routes.add(connection);
		}
		Map<BrokerConnection, Integer> last = new HashMap<>();
		for (int i = 0; i < routes.size(); i++) {
			last.put(routes.get(i), i);
		}
		Runnable confirmed = (receipt != null) ? countdown(last.size(), () -> sendReceipt(session, receipt)) : null;
		if (confirmed != null && frames.isEmpty()) {
			confirmed.run();
		}
		for (int i = 0; i < frames.size(); i++) {
			BrokerConnection connection = routes.get(i);
			boolean confirms = confirmed != null && last.get(connection) == i;
			connection.send(confirms ? withBrokerReceipt(frames.get(i), session, connection, receipt, confirmed)
					: frames.get(i));
		}
	}

	/**
	 * The connection a SEND, ACK or NACK goes on; {@code null} if the session was failed instead (an ACK/NACK of a
	 * message it was not sent). An ACK/NACK settles the message here.
	 */
	private @Nullable BrokerConnection route(ClientSession session, @Nullable StompCommand command,
			StompHeaderAccessor accessor) {
		if (command == StompCommand.ACK || command == StompCommand.NACK) {
			String ackId = accessor.getFirstNativeHeader("id");
			Dedicated settled = (ackId != null) ? settle(session, ackId) : null;
			if (settled == null) {
				failUnknownAck(session, command, accessor);
				return null;
			}
			return settled.connection;
		}
		String destination = accessor.getDestination();
		if (destination != null && this.sharing.allows(StompCommand.SEND, destination, accessor.toNativeHeaderMap())) {
			return session.connection;
		}
		return ownConnection(session);
	}

	private void failUnknownAck(ClientSession session, StompCommand command, StompHeaderAccessor accessor) {
		fail(session, ClientError.INVALID_FRAME.text(command + " of a message this session has not been sent or has settled: "
				+ accessor.getFirstNativeHeader("id")), accessor.getReceipt());
	}

	private static boolean isOutstanding(ClientSession session, @Nullable String ackId) {
		if (ackId == null) {
			return false;
		}
		for (ClientSession.Subscription subscription : session.subscriptions.values()) {
			Dedicated dedicated = subscription.dedicated();
			if (dedicated != null && dedicated.isOutstanding(ackId)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The frame with its STOMP headers brought up to date with its message headers: a user destination's SEND
	 * reaches the relay with the resolved destination in the message header and the client's {@code /user/...} in
	 * the native one, which is what would be encoded.
	 */
	private static Message<byte[]> asSent(Message<byte[]> frame) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
		return MessageBuilder.createMessage(frame.getPayload(), accessor.getMessageHeaders());
	}

	/** The frame as it joins a transaction: without the transaction's name, and without its receipt (answered). */
	private static Message<byte[]> withoutTransaction(Message<byte[]> frame) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
		accessor.removeNativeHeader(TRANSACTION);
		accessor.removeNativeHeader(RECEIPT);
		return MessageBuilder.createMessage(frame.getPayload(), accessor.getMessageHeaders());
	}

	/**
	 * The frame with its client receipt replaced by a broker one; when the broker confirms it, {@code confirmed}
	 * runs, or else the client's receipt is answered. Without a receipt, the frame as it is.
	 */
	private Message<byte[]> withBrokerReceipt(Message<byte[]> frame, ClientSession session,
			BrokerConnection connection, @Nullable String clientReceipt, @Nullable Runnable confirmed) {
		if (clientReceipt == null) {
			return frame;
		}
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
		accessor.setReceipt(brokerReceipt(session, connection, clientReceipt, confirmed));
		return MessageBuilder.createMessage(frame.getPayload(), accessor.getMessageHeaders());
	}

	/**
	 * A broker receipt id for a client's frame: when the broker confirms it, {@code confirmed} runs, or else the
	 * client's receipt is answered; a broker ERROR naming it goes to the session with the client's receipt id.
	 */
	private String brokerReceipt(ClientSession session, BrokerConnection connection, String clientReceipt,
			@Nullable Runnable confirmed) {
		String brokerReceipt = "r" + this.ids.incrementAndGet();
		Runnable action = (confirmed != null) ? confirmed : () -> sendReceipt(session, clientReceipt);
		this.receipts.put(brokerReceipt, new PendingReceipt(connection, session, clientReceipt, action));
		return brokerReceipt;
	}

	private static Runnable countdown(int count, Runnable done) {
		AtomicInteger left = new AtomicInteger(count);
		return () -> {
			if (left.decrementAndGet() == 0) {
				done.run();
			}
		};
	}

	private static @Nullable Dedicated settle(ClientSession session, String ackId) {
		for (ClientSession.Subscription subscription : session.subscriptions.values()) {
			Dedicated dedicated = subscription.dedicated();
			if (dedicated != null && dedicated.settle(ackId)) {
				return dedicated;
			}
		}
		return null;
	}

	private void sendFromApplication(Message<?> message) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
		if (accessor.getCommand() == null) {
			accessor.updateStompCommandAsClientMessage();
		}
		String destination = accessor.getDestination();
		if (!checkDestinationPrefix(destination)) {
			return;
		}
		BrokerConnection connection = (destination != null) ? pick(destination.hashCode()) : null;
		if (connection == null) {
			throw new MessageDeliveryException(message, "Message broker not active: no broker connection is up. "
					+ "Consider listening for BrokerAvailabilityEvent before sending.");
		}
		if (!(message.getPayload() instanceof byte[] payload)) {
			throw new MessageDeliveryException(message, "the relay sends byte[] payloads only (use a converter)");
		}
		Message<byte[]> frame = MessageBuilder.createMessage(payload, accessor.getMessageHeaders());
		try {
			connection.send(frame).get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MessageDeliveryException(message, "interrupted while forwarding", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new MessageDeliveryException(message, "failed to forward to the broker", ex);
		}
	}

	// ---- frames from the broker (on the connection's event loop)

	@Override
	public void frame(BrokerConnection connection, Message<byte[]> frame, StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		if (command == StompCommand.MESSAGE) {
			String subscription = accessor.getSubscriptionId();
			Route route = (subscription != null) ? this.routes.get(subscription) : null;
			if (route instanceof NodeQueueRoute) {
				String destination = accessor.getDestination();
				Topic topic = (destination != null) ? this.topics.get(destination) : null;
				if (topic != null && topic.connection == connection) {
					fanOut(topic, frame, accessor, connection.held);
				}
				// else: the last subscriber left while the message was on its way, as with a topic subscription
			}
			else if (route instanceof Topic topic) {
				fanOut(topic, frame, accessor, connection.held);
			}
			else if (route instanceof Dedicated dedicated) {
				dedicated.delivered(accessor.getFirstNativeHeader(StompHeaderAccessor.STOMP_ACK_HEADER));
				deliver(dedicated.session, dedicated.subscriptionId, frame.getPayload(), nativeHeadersOf(accessor));
			}
		}
		else if (command == StompCommand.RECEIPT) {
			String id = accessor.getReceiptId();
			PendingReceipt pending = (id != null) ? this.receipts.remove(id) : null;
			if (pending != null) {
				pending.action().run();
			}
		}
		else if (command == StompCommand.ERROR) {
			String id = accessor.getReceiptId();
			PendingReceipt pending = (id != null) ? this.receipts.remove(id) : null;
			ClientSession culprit = (pending != null) ? pending.session() : null;
			if (culprit == null && connection.isDedicated()) {
				culprit = ownerOf(connection);
			}
			String text = accessor.getMessage();
			if (culprit != null) {
				fail(culprit, ClientError.BROKER_REFUSED.text((text != null) ? text : "(no message)"),
						(pending != null) ? pending.clientReceipt() : null);
			}
			// RabbitMQ closes the connection after most ERRORs: lost() ends the other sessions on it. On a shared
			// connection that is a gap in SharedConnectionPolicy: the ERROR is logged by the connection.
		}
	}

	/** The read that brought these frames is handled: the writes held for its sessions go out now. */
	@Override
	public void readComplete(BrokerConnection connection) {
		List<Runnable> held = connection.held;
		for (int i = 0; i < held.size(); i++) {
			try {
				held.get(i).run();
			}
			catch (RuntimeException ex) {
				logger.warn("Failed to write to a client session", ex);
			}
		}
		held.clear();
	}

	private void fanOut(Topic topic, Message<byte[]> frame, StompHeaderAccessor accessor, List<Runnable> held) {
		Map<String, List<String>> headers = nativeHeadersOf(accessor);
		String clientDestination = topic.clientDestination;
		if (clientDestination != null && !headers.containsKey(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION)) {
			headers.put(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, List.of(clientDestination));
		}
		byte[] payload = frame.getPayload();
		FrameWriter writer = directWriter(headers);
		// Clients mostly use the same subscription id ("sub-0" from STOMP.js): one encoding per distinct id.
		String lastId = null;
		EncodedFrame encoded = null;
		Map<String, EncodedFrame> byId = null;
		for (Topic.Subscriber subscriber : topic.subscribers()) {
			ClientSession session = subscriber.session();
			if (session.closed) {
				continue;
			}
			String id = subscriber.subscriptionId();
			if (writer == null) {
				deliver(session, id, payload, headers);
				continue;
			}
			if (!id.equals(lastId)) {
				if (lastId != null && byId == null) {
					byId = new HashMap<>();
					byId.put(lastId, encoded);
				}
				encoded = (byId != null) ? byId.computeIfAbsent(id, (key) -> encode(headers, key, payload))
						: encode(headers, id, payload);
				lastId = id;
			}
			if (writer.write(session.id, encoded, held::add)) {
				session.lastWriteNanos = System.nanoTime();
			}
			else {
				deliver(session, id, payload, headers);
			}
		}
	}

	/**
	 * The writer for frames with these headers, or {@code null} when they must go through Spring's STOMP handler:
	 * binary content (which it sends as a binary WebSocket message where the transport allows) and a user
	 * destination's original destination (which it puts back in place).
	 */
	private @Nullable FrameWriter directWriter(Map<String, List<String>> headers) {
		FrameWriter writer = this.frameWriter;
		if (writer == null || headers.containsKey(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION)) {
			return null;
		}
		List<String> contentType = headers.get(StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER);
		if (contentType != null && !contentType.isEmpty()
				&& MimeTypeUtils.APPLICATION_OCTET_STREAM.isCompatibleWith(MimeTypeUtils.parseMimeType(contentType.get(0)))) {
			return null;
		}
		return writer;
	}

	private EncodedFrame encode(Map<String, List<String>> headers, String subscriptionId, byte[] payload) {
		StompHeaderAccessor out = StompHeaderAccessor.create(StompCommand.MESSAGE, headers);
		out.setSubscriptionId(subscriptionId);
		return new EncodedFrame(this.encoder.encode(out.getMessageHeaders(), payload));
	}

	/** The user destination a SUBSCRIBE was resolved from, if it was. */
	private static @Nullable String originalDestination(StompHeaderAccessor accessor) {
		String original = accessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
		if (original == null && accessor.getHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION) instanceof String header) {
			original = header;
		}
		return original;
	}

	private static Map<String, List<String>> nativeHeadersOf(StompHeaderAccessor accessor) {
		Map<String, List<String>> headers = new LinkedHashMap<>(accessor.toNativeHeaderMap());
		headers.remove(StompHeaderAccessor.STOMP_SUBSCRIPTION_HEADER);
		return headers;
	}

	private void deliver(ClientSession session, String subscriptionId, byte[] payload,
			Map<String, List<String>> headers) {
		if (session.closed) {
			return;
		}
		StompHeaderAccessor out = StompHeaderAccessor.create(StompCommand.MESSAGE, headers);
		out.setSessionId(session.id);
		out.setSubscriptionId(subscriptionId);
		toClient(session, MessageBuilder.createMessage(payload, out.getMessageHeaders()));
	}

	@Override
	public void connected(BrokerConnection connection) {
		if (connection.isDedicated()) {
			return;
		}
		NodeQueues queues = this.nodeQueues;
		int index = connection.index();
		if (queues != null && index < queues.count()) {
			queues.reset(index).whenComplete((done, ex) -> {
				if (ex != null) {
					logger.warn("Could not declare node queue " + queues.name(index) + ": " + ex.getMessage()
							+ "; its connection reconnects");
					connection.restart("node queue unavailable");
					return;
				}
				StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
				String id = NodeQueues.subscriptionId(index);
				this.routes.put(id, new NodeQueueRoute(index));
				subscribe.setSubscriptionId(id);
				subscribe.setDestination("/amq/queue/" + queues.name(index));
				subscribe.setAck("auto");
				connection.send(MessageBuilder.createMessage(EMPTY, subscribe.getMessageHeaders()));
				publishBrokerAvailableEvent(); // topics can be served from now on
			});
			return;
		}
		if (queues == null) {
			publishBrokerAvailableEvent();
		}
	}

	@Override
	public void lost(BrokerConnection connection, String reason) {
		for (ClientSession session : this.sessions.values()) {
			if (dependsOn(session, connection)) {
				fail(session, ClientError.BROKER_UNAVAILABLE.text(reason), null);
			}
		}
		if (connection.isDedicated()) {
			this.receipts.values().removeIf((pending) -> pending.connection() == connection);
			return;
		}
		this.topics.values().removeIf((topic) -> topic.connection == connection);
		this.routes.values().removeIf((route) -> route instanceof Topic topic && topic.connection == connection);
		NodeQueues queues = this.nodeQueues;
		if (queues != null) {
			queues.lost(connection.index()); // its bindings go with the reset when it is back
			this.routes.remove(NodeQueues.subscriptionId(connection.index()));
		}
		this.receipts.values().removeIf((pending) -> pending.connection() == connection);
		if (!isServing()) {
			publishBrokerUnavailableEvent();
		}
	}

	private @Nullable ClientSession ownerOf(BrokerConnection own) {
		for (ClientSession session : this.sessions.values()) {
			if (session.ownConnection == own) {
				return session;
			}
		}
		return null;
	}

	private static boolean dependsOn(ClientSession session, BrokerConnection connection) {
		if (session.connection == connection || session.ownConnection == connection) {
			return true;
		}
		for (ClientSession.Subscription subscription : session.subscriptions.values()) {
			Topic topic = subscription.topic();
			if (topic != null && topic.connection == connection) {
				return true;
			}
		}
		return false;
	}

	// ---- sessions

	private void checkHeartbeats() {
		long now = System.nanoTime();
		for (ClientSession session : this.sessions.values()) {
			if (session.receiveInterval > 0
					&& now - session.lastReadNanos > TimeUnit.MILLISECONDS.toNanos(session.receiveInterval * 3 / 2)) {
				fail(session, ClientError.HEARTBEAT_TIMEOUT.text("no frame from the client for "
						+ TimeUnit.NANOSECONDS.toMillis(now - session.lastReadNanos) + " ms"), null);
			}
			else if (session.sendInterval > 0 && now - session.lastWriteNanos > TimeUnit.MILLISECONDS
				.toNanos(Math.max(session.sendInterval - HEARTBEAT_SWEEP_MILLIS, session.sendInterval / 2))) {
				SimpMessageHeaderAccessor heartbeat = SimpMessageHeaderAccessor.create(SimpMessageType.HEARTBEAT);
				heartbeat.setSessionId(session.id);
				toClient(session, MessageBuilder.createMessage(EMPTY, heartbeat.getMessageHeaders()));
			}
		}
	}

	/** Sends the client an ERROR (after which Spring's STOMP handler closes it) and forgets the session. */
	private void fail(ClientSession session, String text, @Nullable String receipt) {
		end(session);
		sendError(session.id, session.user, text, receipt);
	}

	/** Forgets the session: leaves its topics, cancels its own broker subscriptions. */
	private void end(ClientSession session) {
		if (session.closed) {
			return;
		}
		session.closed = true;
		this.sessions.remove(session.id, session);
		for (ClientSession.Subscription subscription : session.subscriptions.values()) {
			release(session, subscription, null);
		}
		session.subscriptions.clear();
		session.transactions.clear(); // never sent: nothing to abort at the broker
		BrokerConnection own;
		synchronized (this) {
			own = session.ownConnection;
			session.ownConnection = null;
		}
		if (own != null) {
			own.stop(); // RabbitMQ redelivers to other consumers what the client did not ack
		}
		this.receipts.values().removeIf((pending) -> pending.session() == session);
	}

	/** Every ERROR the relay sends reads as one of the {@link ClientError} reasons (checked where assertions run). */
	private void sendError(String sessionId, @Nullable Principal user, String text, @Nullable String receipt) {
		assert ClientError.of(text) != null : "not a ClientError text: " + text;
		StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
		error.setSessionId(sessionId);
		if (user != null) {
			error.setUser(user);
		}
		error.setMessage(text);
		if (receipt != null) {
			error.setReceiptId(receipt);
		}
		getClientOutboundChannel().send(MessageBuilder.createMessage(EMPTY, error.getMessageHeaders()));
	}

	private void sendReceipt(ClientSession session, String receipt) {
		StompHeaderAccessor answer = StompHeaderAccessor.create(StompCommand.RECEIPT);
		answer.setSessionId(session.id);
		answer.setReceiptId(receipt);
		toClient(session, MessageBuilder.createMessage(EMPTY, answer.getMessageHeaders()));
	}

	private void toClient(ClientSession session, Message<byte[]> message) {
		if (!session.closed) {
			getClientOutboundChannel().send(message);
			session.lastWriteNanos = System.nanoTime();
		}
	}

	/** Replaces the client's receipt id with a broker one that answers the client when the broker answers. */
	private void mapReceipt(StompHeaderAccessor frame, ClientSession session, BrokerConnection connection) {
		String clientReceipt = frame.getReceipt();
		if (clientReceipt != null) {
			frame.setReceipt(brokerReceipt(session, connection, clientReceipt, null));
		}
	}

	/**
	 * A plain auto-ack SUBSCRIBE to a shared destination ({@code /topic/...}, a user destination): one node-wide
	 * subscription serves every local session.
	 */
	private boolean isShareable(String destination, StompHeaderAccessor accessor) {
		if (!this.sharing.isShared(destination)) {
			return false;
		}
		String ack = accessor.getAck();
		if (ack != null && !"auto".equals(ack)) {
			return false;
		}
		return SHAREABLE_HEADERS.containsAll(accessor.toNativeHeaderMap().keySet());
	}

	/**
	 * Whether the relay can serve clients: a broker connection is up, and with node queues, one whose queue is
	 * ready (until then a SUBSCRIBE to a topic would have nowhere to go).
	 */
	private boolean isServing() {
		NodeQueues queues = this.nodeQueues;
		for (BrokerConnection connection : this.connections) {
			if (connection.isConnected() && (queues == null || queues.isReady(connection.index()))) {
				return true;
			}
		}
		return false;
	}

	/** The connection for a new shared destination: with node queues, one whose queue is ready. */
	private @Nullable BrokerConnection pickForTopic(int hash) {
		NodeQueues queues = this.nodeQueues;
		if (queues == null) {
			return pick(hash);
		}
		int size = queues.count();
		for (int i = 0; i < size; i++) {
			int index = Math.floorMod(hash + i, size);
			BrokerConnection connection = this.connections.get(index);
			if (connection.isConnected() && queues.isReady(index)) {
				return connection;
			}
		}
		return null;
	}

	private @Nullable BrokerConnection pick(int hash) {
		int size = this.connections.size();
		for (int i = 0; i < size; i++) {
			BrokerConnection connection = this.connections.get(Math.floorMod(hash + i, size));
			if (connection.isConnected()) {
				return connection;
			}
		}
		return null;
	}

	private static StompHeaderAccessor stompAccessor(Message<?> message) {
		MessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, MessageHeaderAccessor.class);
		if (accessor instanceof StompHeaderAccessor stomp) {
			return stomp;
		}
		StompHeaderAccessor stomp = StompHeaderAccessor.wrap(message);
		if (stomp.getCommand() == null && stomp.getMessageType() != SimpMessageType.HEARTBEAT) {
			stomp.updateStompCommandAsClientMessage();
		}
		return stomp;
	}

	/** What a broker receipt confirms: a client's frame (its session and receipt) or the relay's own. */
	private record PendingReceipt(BrokerConnection connection, @Nullable ClientSession session,
			@Nullable String clientReceipt, Runnable action) {
	}

	/**
	 * The relay's state: broker connections (configured, up), client sessions, node-wide topic subscriptions,
	 * broker subscriptions (topics, client queue subscriptions) and client subscriptions.
	 */
	public record Stats(int connections, int connectionsUp, int sessions, int topics, int brokerSubscriptions,
			int clientSubscriptions) {
	}

}
