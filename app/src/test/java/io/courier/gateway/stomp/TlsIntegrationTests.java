package io.courier.gateway.stomp;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code wss://} through nothing but Spring Boot's standard {@code server.ssl.*}
 * properties: a self-signed certificate for 127.0.0.1 made with the JDK's keytool,
 * trusted by the test client.
 */
class TlsIntegrationTests extends GatewayIntegrationTest {

	private static final String PASSWORD = "changeit";

	private static final Path keyStore = createKeyStore();

	@Autowired
	private RabbitTemplate rabbit;

	@DynamicPropertySource
	static void ssl(DynamicPropertyRegistry registry) {
		registry.add("server.ssl.key-store", () -> keyStore.toUri().toString());
		registry.add("server.ssl.key-store-password", () -> PASSWORD);
		registry.add("server.ssl.key-store-type", () -> "PKCS12");
		registry.add("server.ssl.key-alias", () -> "courier");
	}

	@Test
	void stompOverWssFollowsAnOrder() throws Exception {
		StandardWebSocketClient webSocket = StompTestClient.webSocketClient(trustingContext());
		WebSocketStompClient client = StompTestClient.client(false);
		WebSocketStompClient tlsClient = new WebSocketStompClient(webSocket);
		tlsClient.setMessageConverter(client.getMessageConverter());
		tlsClient.setTaskScheduler(client.getTaskScheduler());
		String orderId = "tls" + System.nanoTime();

		Connection alice = StompTestClient.open(tlsClient, "wss://127.0.0.1:" + this.port + "/ws",
				this.idp.token("alice", orderId), new WebSocketHttpHeaders());
		BlockingQueue<String> topic = alice.subscribe("/topic/orders." + orderId);

		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			OrderEvents.publish(this.rabbit, orderId, "alice", "SECURE");
			assertThat(topic.poll(300, TimeUnit.MILLISECONDS)).contains("SECURE");
		});
		alice.disconnect();
	}

	private static SSLContext trustingContext() throws Exception {
		KeyStore server = KeyStore.getInstance("PKCS12");
		try (FileInputStream in = new FileInputStream(keyStore.toFile())) {
			server.load(in, PASSWORD.toCharArray());
		}
		// Trust anchors come only from trusted-certificate entries, so copy the server's
		// certificate into one.
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		trusted.setCertificateEntry("courier", server.getCertificate("courier"));
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

	private static Path createKeyStore() {
		try {
			Path dir = Files.createTempDirectory("courier-tls");
			Path file = dir.resolve("courier.p12");
			String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
			Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "courier", "-keyalg", "RSA",
					"-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext",
					"SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", file.toString(),
					"-storepass", PASSWORD, "-keypass", PASSWORD)
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			if (process.waitFor() != 0) {
				throw new IllegalStateException("keytool failed: " + output);
			}
			return file;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
