package io.courier.gateway.support;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;

import jakarta.websocket.WebSocketContainer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

/**
 * A real STOMP-over-WebSocket client (Spring's {@link WebSocketStompClient} on the
 * JSR-356 client) that records what a user would observe: ERROR frames, MESSAGE bodies
 * per subscription, and the socket closing.
 */
public final class StompTestClient {

	public static final long TIMEOUT_SECONDS = 10;

	private StompTestClient() {
	}

	/**
	 * The JSR-356 client of the Jetty on the classpath, made and started here:
	 * {@code ContainerProvider} would tie each container to the lifecycle of whichever
	 * embedded server is current, and stop it with that server.
	 */
	private static final WebSocketContainer container = started(new JakartaWebSocketClientContainer());

	/**
	 * A WebSocket client on a started JSR-356 container; TLS trusts what {@code ssl}
	 * trusts.
	 */
	public static StandardWebSocketClient webSocketClient(@Nullable SSLContext ssl) {
		if (ssl == null) {
			return new StandardWebSocketClient(container);
		}
		SslContextFactory.Client tls = new SslContextFactory.Client();
		tls.setSslContext(ssl);
		HttpClient http = new HttpClient();
		http.setSslContextFactory(tls);
		return new StandardWebSocketClient(started(new JakartaWebSocketClientContainer(http)));
	}

	private static JakartaWebSocketClientContainer started(JakartaWebSocketClientContainer container) {
		try {
			container.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot start the WebSocket client", ex);
		}
		return container;
	}

	public static WebSocketStompClient client(boolean sockJs) {
		WebSocketClient transport = webSocketClient(null);
		if (sockJs) {
			transport = new SockJsClient(List.of(new WebSocketTransport(webSocketClient(null))));
		}
		WebSocketStompClient client = new WebSocketStompClient(transport);
		client.setMessageConverter(new ByteArrayMessageConverter() {
			@Override
			protected boolean supportsMimeType(MessageHeaders headers) {
				return true; // bodies are read as bytes whatever their content-type
			}
		});
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setDaemon(true);
		scheduler.initialize();
		client.setTaskScheduler(scheduler);
		return client;
	}

	/**
	 * Connects with {@code Authorization: Bearer token} (no header when token is null);
	 * does not wait.
	 */
	public static Connection open(String url, @Nullable String token) {
		return open(client(url.contains("/sockjs")), url, token, new WebSocketHttpHeaders());
	}

	public static Connection open(WebSocketStompClient client, String url, @Nullable String token,
			WebSocketHttpHeaders handshake) {
		StompHeaders connect = new StompHeaders();
		if (token != null) {
			connect.add("Authorization", "Bearer " + token);
		}
		Connection connection = new Connection();
		connection.future = client.connectAsync(url, handshake, connect, connection);
		return connection;
	}

	/** Connects and waits for CONNECTED. */
	public static Connection connect(String url, String token) {
		Connection connection = open(url, token);
		connection.awaitConnected();
		return connection;
	}

	/** One client session and everything it observed. */
	public static final class Connection extends StompSessionHandlerAdapter {

		private CompletableFuture<StompSession> future = new CompletableFuture<>();

		private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

		private final CountDownLatch closed = new CountDownLatch(1);

		private volatile @Nullable Throwable transportError;

		/** Why the transport failed, if it did. */
		public @Nullable Throwable transportError() {
			return this.transportError;
		}

		public StompSession awaitConnected() {
			try {
				return this.future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			}
			catch (InterruptedException | ExecutionException | TimeoutException ex) {
				throw new AssertionError("Not connected; ERROR frames: " + this.errors, ex);
			}
		}

		public StompSession session() {
			return awaitConnected();
		}

		/**
		 * The {@code message} header of the next ERROR frame, or null if none arrives in
		 * time.
		 */
		public @Nullable String awaitError() throws InterruptedException {
			return this.errors.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}

		/** The {@code message} header of an ERROR frame received so far, or null. */
		public @Nullable String awaitErrorNow() {
			return this.errors.peek();
		}

		public boolean awaitClosed() throws InterruptedException {
			return this.closed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}

		public boolean isClosed() {
			return this.closed.getCount() == 0;
		}

		/** Subscribes and returns the queue that collects message bodies (UTF-8). */
		public BlockingQueue<String> subscribe(String destination) {
			return subscribe(destination, new StompHeaders());
		}

		public BlockingQueue<String> subscribe(String destination, StompHeaders headers) {
			BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
			headers.setDestination(destination);
			session().subscribe(headers, bodiesInto(bodies));
			return bodies;
		}

		/**
		 * Subscribes with a {@code receipt} header and waits for the RECEIPT, so the
		 * subscription is live at the broker when this returns; frames go to
		 * {@code handler}.
		 */
		public StompSession.Subscription subscribeConfirmed(StompHeaders headers, StompFrameHandler handler) {
			CountDownLatch receipt = new CountDownLatch(1);
			headers.setReceipt("confirm-" + System.nanoTime());
			StompSession.Subscription subscription = session().subscribe(headers, handler);
			subscription.addReceiptTask(receipt::countDown);
			try {
				if (!receipt.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					throw new AssertionError(
							"no RECEIPT for SUBSCRIBE " + headers.getDestination() + "; ERROR frames: " + this.errors);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			return subscription;
		}

		/**
		 * Subscribes, waits for the RECEIPT, and returns the queue that collects message
		 * bodies (UTF-8).
		 */
		public BlockingQueue<String> subscribeConfirmed(String destination) {
			BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
			StompHeaders headers = new StompHeaders();
			headers.setDestination(destination);
			subscribeConfirmed(headers, bodiesInto(bodies));
			return bodies;
		}

		private static StompFrameHandler bodiesInto(BlockingQueue<String> bodies) {
			return new StompFrameHandler() {
				@Override
				public Type getPayloadType(StompHeaders frameHeaders) {
					return byte[].class;
				}

				@Override
				public void handleFrame(StompHeaders frameHeaders, @Nullable Object payload) {
					bodies.add(new String((byte[]) payload, StandardCharsets.UTF_8));
				}
			};
		}

		/**
		 * Sends and waits for the broker's RECEIPT (or for nothing when the gateway
		 * refuses it).
		 */
		public void send(String destination, String body) {
			session().send(destination, body.getBytes(StandardCharsets.UTF_8));
		}

		public void disconnect() {
			if (this.future.isDone() && !this.future.isCompletedExceptionally()) {
				StompSession session = this.future.join();
				if (session.isConnected()) {
					session.disconnect();
				}
			}
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleFrame(StompHeaders headers, @Nullable Object payload) {
			String message = headers.getFirst("message");
			this.errors.add((message != null) ? message : "");
		}

		@Override
		public void handleException(StompSession session, @Nullable StompCommand command, StompHeaders headers,
				byte[] payload, Throwable exception) {
			this.errors.add("client exception: " + exception);
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			this.transportError = exception;
			this.closed.countDown();
		}

	}

}
