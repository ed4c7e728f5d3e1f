package io.courier.gateway.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.HeadlessChromium;
import io.courier.gateway.support.OrderEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's own {@code EventSource} (headless Chromium, driven by Selenium) on a page
 * from another origin (allowed by {@code courier.allowed-origins}), authenticated with
 * the {@code access_token} query parameter, receives an order update on
 * {@code /user/queue/order-updates}.
 */
class EventSourceBrowserTests extends GatewayIntegrationTest {

	@Autowired
	private RabbitTemplate rabbit;

	private HttpServer pages;

	private WebDriver browser;

	@BeforeEach
	void startBrowser() throws IOException {
		this.pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.pages.start();
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.pages != null) {
			this.pages.stop(0);
		}
	}

	@Test
	void anEventSourceInChromiumReceivesAnOrderUpdate() {
		String orderId = "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String user = "browser-" + orderId;
		serve("/follow.html", """
				<!doctype html><title>follow</title><script>
				window.received = []; window.subscribed = null;
				const source = new EventSource('%s/sse?dest=' + encodeURIComponent('/user/queue/order-updates')
				    + '&access_token=%s');
				source.addEventListener('subscribed', (e) => { window.subscribed = e.lastEventId; });
				source.addEventListener('/user/queue/order-updates', (e) => {
				  window.received.push({ id: e.lastEventId, data: JSON.parse(e.data) });
				});
				</script>""".formatted(httpUrl(""), this.idp.token(user, orderId)));

		this.browser.get("http://127.0.0.1:" + this.pages.getAddress().getPort() + "/follow.html");
		JavascriptExecutor js = (JavascriptExecutor) this.browser;
		new WebDriverWait(this.browser, Duration.ofSeconds(20))
			.until((driver) -> js.executeScript("return window.subscribed") != null);

		OrderEvents.publish(this.rabbit, orderId, user, "SHIPPED");

		new WebDriverWait(this.browser, Duration.ofSeconds(20))
			.until((driver) -> ((Number) js.executeScript("return window.received.length")).intValue() > 0);
		assertThat(js.executeScript("return window.received[0].data.status")).isEqualTo("SHIPPED");
		assertThat(js.executeScript("return window.received[0].data.orderId")).isEqualTo(orderId);
		assertThat(Long.parseLong((String) js.executeScript("return window.received[0].id")))
			.isGreaterThan(Long.parseLong((String) js.executeScript("return window.subscribed")));
	}

	private void serve(String path, String html) {
		byte[] body = html.getBytes(StandardCharsets.UTF_8);
		this.pages.createContext(path, (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
	}

}
