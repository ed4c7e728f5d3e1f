package io.courier.gateway.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.messaging.tcp.TcpConnectionHandler;

import io.courier.gateway.support.RabbitBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The relay's TCP client on its own, against RabbitMQ's STOMP port: what a handler hears
 * and on which thread, heart-beat idleness, close and connect failure.
 */
class StompTcpClientTests {

	private static final String THREADS = "stomp-client-test";

	private static EventLoopGroup loops;

	@BeforeAll
	static void startLoops() {
		loops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(THREADS, true), NioIoHandler.newFactory());
	}

	@AfterAll
	static void stopLoops() throws InterruptedException {
		loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
	}

	@Test
	void framesOfOneReadArriveInOrderOnTheEventLoopAndEachReadEndsWithAfterRead() throws Exception {
		Recorder recorder = loggedIn();
		TcpConnection<byte[]> connection = recorder.connection();

		String destination = "/topic/stomp-client-test-" + UUID.randomUUID();
		StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setDestination(destination);
		subscribe.setSubscriptionId("s");
		subscribe.setReceipt("subscribed");
		connection.sendAsync(frame(subscribe)).get(5, TimeUnit.SECONDS);
		assertThat(recorder.next().getCommand()).isEqualTo(StompCommand.RECEIPT);

		// the event loop stalls on the first MESSAGE until the other 499 are published
		// (over AMQP, confirmed, so
		// not through the stalled loop): they wait in the socket and come in few reads,
		// however busy the machine
		CountDownLatch published = new CountDownLatch(1);
		recorder.stallUntil = published;
		int count = 500;
		CachingConnectionFactory factory = RabbitBroker.connectionFactory();
		factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
		try {
			RabbitTemplate amqp = new RabbitTemplate(factory);
			String key = destination.substring("/topic/".length());
			amqp.invoke((operations) -> {
				for (int i = 0; i < count; i++) {
					operations.convertAndSend("amq.topic", key, "m" + i);
				}
				operations.waitForConfirmsOrDie(10_000);
				return null;
			});
			Thread.sleep(200); // routed and confirmed; let RabbitMQ's STOMP writer put
								// them in the socket
		}
		finally {
			published.countDown();
			factory.destroy();
		}
		List<String> bodies = new ArrayList<>();
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			assertThat(recorder.next().getCommand()).isEqualTo(StompCommand.MESSAGE);
			bodies.add(recorder.lastBody);
			expected.add("m" + i);
		}
		assertThat(bodies).containsExactlyElementsOf(expected);
		// the read that brought the last frame ends too
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> recorder.lastEvent().equals("read"));
		assertThat(recorder.threads).allMatch((name) -> name.startsWith(THREADS));
		List<String> events = recorder.events();
		assertThat(String.join(",", events)).as("frames that came in one read, then its end")
			.contains("frame,frame,frame");
		assertThat(events.stream().filter("read"::equals).count()).isLessThan(count / 2);
		connection.close();
		assertThat(recorder.closed.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void readInactivityRunsWhenTheBrokerIsSilentAndWriteInactivityWhenWeAre() throws Exception {
		Recorder recorder = loggedIn();
		TcpConnection<byte[]> connection = recorder.connection();
		CountDownLatch readIdle = new CountDownLatch(1);
		CountDownLatch writeIdle = new CountDownLatch(2);
		connection.onReadInactivity(readIdle::countDown, 200);
		connection.onWriteInactivity(writeIdle::countDown, 100);
		assertThat(readIdle.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(writeIdle.await(5, TimeUnit.SECONDS)).as("write idleness repeats while nothing is written").isTrue();
		connection.close();
	}

	@Test
	void aSocketTheBrokerClosesIsReportedOnceAsClosed() throws Exception {
		Recorder recorder = loggedIn();
		TcpConnection<byte[]> connection = recorder.connection();
		// RabbitMQ closes the socket after the RECEIPT of a DISCONNECT
		StompHeaderAccessor disconnect = StompHeaderAccessor.create(StompCommand.DISCONNECT);
		disconnect.setReceipt("bye");
		connection.sendAsync(frame(disconnect));
		assertThat(recorder.next().getCommand()).isEqualTo(StompCommand.RECEIPT);
		assertThat(recorder.closed.await(10, TimeUnit.SECONDS)).isTrue();
		// and only once: nothing else follows for a while
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(recorder.events()).containsOnlyOnce("closed").doesNotContain("failure"));
	}

	@Test
	void aRefusedConnectionIsReportedAsAConnectFailure() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Recorder recorder = new Recorder();
		CompletableFuture<@Nullable Void> connected = new StompTcpClient("127.0.0.1", port, loops)
			.connectAsync(recorder);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> connected.get(10, TimeUnit.SECONDS));
		// the handler hears it before the future completes
		assertThat(recorder.connectFailure.getCount()).isZero();
		assertThat(recorder.connection).isNull();
	}

	@Test
	void withAReconnectStrategyItConnectsAgainAfterEachCloseUntilShutDown() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> {
				while (!server.isClosed()) {
					try {
						server.accept().close(); // a broker that hangs up at once
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			StompTcpClient client = new StompTcpClient("127.0.0.1", server.getLocalPort(), loops);
			AtomicInteger connects = new AtomicInteger();
			AtomicInteger closes = new AtomicInteger();
			TcpConnectionHandler<byte[]> handler = new TcpConnectionHandler<>() {

				@Override
				public void afterConnected(TcpConnection<byte[]> connection) {
					connects.incrementAndGet();
				}

				@Override
				public void afterConnectFailure(Throwable ex) {
				}

				@Override
				public void handleMessage(Message<byte[]> message) {
				}

				@Override
				public void handleFailure(Throwable ex) {
				}

				@Override
				public void afterConnectionClosed() {
					closes.incrementAndGet();
				}

			};
			client.connectAsync(handler, (attempt) -> 20L).get(5, TimeUnit.SECONDS);
			await().atMost(5, TimeUnit.SECONDS).until(() -> connects.get() >= 3 && closes.get() >= 2);
			client.shutdownAsync().get(5, TimeUnit.SECONDS);
			int afterShutdown = connects.get();
			await().during(Duration.ofMillis(300))
				.atMost(2, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(connects.get()).isLessThanOrEqualTo(afterShutdown + 1));
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> client.connectAsync(handler).get(5, TimeUnit.SECONDS))
				.withMessageContaining("shut down");
		}
	}

	/** A connection that sent CONNECT and got CONNECTED. */
	private static Recorder loggedIn() throws Exception {
		Recorder recorder = new Recorder();
		new StompTcpClient("127.0.0.1", 61613, loops).connectAsync(recorder).get(10, TimeUnit.SECONDS);
		recorder.connection().sendAsync(frame(connect())).get(5, TimeUnit.SECONDS);
		assertThat(recorder.next().getCommand()).isEqualTo(StompCommand.CONNECTED);
		return recorder;
	}

	private static StompHeaderAccessor connect() {
		StompHeaderAccessor connect = StompHeaderAccessor.create(StompCommand.CONNECT);
		connect.setAcceptVersion("1.2");
		connect.setHost(RabbitBroker.vhost());
		connect.setLogin("courier-relay");
		connect.setPasscode("courier-relay");
		connect.setHeartbeat(0, 0);
		return connect;
	}

	private static Message<byte[]> frame(StompHeaderAccessor accessor) {
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

	/**
	 * Records what the client tells a handler: frames (heart-beats left out), read ends,
	 * close, failures.
	 */
	private static final class Recorder implements StompTcpClient.Handler {

		final BlockingQueue<StompHeaderAccessor> frames = new LinkedBlockingQueue<>();

		final List<String> events = Collections.synchronizedList(new ArrayList<>());

		final List<String> threads = Collections.synchronizedList(new ArrayList<>());

		final CountDownLatch closed = new CountDownLatch(1);

		final CountDownLatch connectFailure = new CountDownLatch(1);

		/**
		 * Milliseconds the event loop sleeps in the first MESSAGE it hands over; 0 for
		 * none.
		 */
		volatile @Nullable CountDownLatch stallUntil;

		volatile @Nullable TcpConnection<byte[]> connection;

		volatile @Nullable String lastBody;

		private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();

		List<String> events() {
			synchronized (this.events) {
				return new ArrayList<>(this.events);
			}
		}

		String lastEvent() {
			List<String> events = events();
			return events.isEmpty() ? "" : events.get(events.size() - 1);
		}

		TcpConnection<byte[]> connection() {
			TcpConnection<byte[]> connection = this.connection;
			assertThat(connection).isNotNull();
			return connection;
		}

		StompHeaderAccessor next() throws InterruptedException {
			StompHeaderAccessor frame = this.frames.poll(10, TimeUnit.SECONDS);
			assertThat(frame).as("a frame within 10 s").isNotNull();
			this.lastBody = this.bodies.poll();
			return frame;
		}

		@Override
		public void afterConnected(TcpConnection<byte[]> connection) {
			this.connection = connection;
			this.events.add("connected");
		}

		@Override
		public void afterConnectFailure(Throwable ex) {
			this.connectFailure.countDown();
		}

		@Override
		public void handleMessage(Message<byte[]> message) {
			StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
			if (accessor == null || accessor.getMessageType() == SimpMessageType.HEARTBEAT) {
				return;
			}
			this.threads.add(Thread.currentThread().getName());
			this.events.add("frame");
			CountDownLatch stall = this.stallUntil;
			if (stall != null && accessor.getCommand() == StompCommand.MESSAGE) {
				this.stallUntil = null;
				try {
					stall.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.bodies.add(new String(message.getPayload(), StandardCharsets.UTF_8));
			this.frames.add(accessor);
		}

		@Override
		public void afterRead() {
			this.threads.add(Thread.currentThread().getName());
			this.events.add("read");
		}

		@Override
		public void handleFailure(Throwable ex) {
			this.events.add("failure");
		}

		@Override
		public void afterConnectionClosed() {
			this.events.add("closed");
			this.closed.countDown();
		}

	}

}
