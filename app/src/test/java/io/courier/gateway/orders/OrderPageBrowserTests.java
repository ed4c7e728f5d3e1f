package io.courier.gateway.orders;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.HeadlessChromium;
import io.courier.gateway.support.OrderEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order page in headless Chromium: it shows an order's current status as soon as it
 * connects (courier-last), and after the gateway drops it (an operator's disconnect) it
 * reconnects and resumes (courier-since): the event published while it was away arrives,
 * once.
 */
class OrderPageBrowserTests extends GatewayIntegrationTest {

	@Autowired
	private RabbitTemplate rabbit;

	private WebDriver browser;

	@BeforeEach
	void startBrowser() throws IOException {
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void theCurrentStatusShowsAtOnceAndAnEventWhileDisconnectedArrivesOnce() throws Exception {
		String orderId = "o" + System.nanoTime();
		String user = "page-" + orderId;
		OrderEvents.publish(this.rabbit, orderId, user, "PLACED");
		this.browser.get(httpUrl("/"));
		script("document.getElementById('token').value = arguments[0];"
				+ "document.getElementById('orders').value = arguments[1];"
				+ "document.getElementById('connect').click();", this.idp.token(user, orderId), orderId);
		await("return document.querySelector('#order-" + orderId + " .status')?.textContent === 'PLACED'");
		assertThat(script("return [...document.querySelectorAll('#events li')].map((li) => li.textContent)"))
			.as("marked as the current status, not a new event")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.contains("current status on /topic/orders." + orderId + " " + OrderEvents.json(orderId, user, "PLACED"));

		try (ClusterTap console = ClusterTap.open()) {
			console.request("control.disconnect", "{\"user\":\"" + user + "\",\"by\":\"page-test\"}");
			await("return document.getElementById('state').getAttribute('data-state') === 'reconnecting'");
		}
		OrderEvents.publish(this.rabbit, orderId, user, "SHIPPED");

		await("return document.querySelector('#order-" + orderId + " .status')?.textContent === 'SHIPPED'");
		await("return document.getElementById('state').getAttribute('data-state') === 'connected'");
		// anything that would come twice comes within a second: the count stays 1
		// throughout
		Awaitility.await()
			.during(1, TimeUnit.SECONDS)
			.atMost(5, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(
					script("return [...document.querySelectorAll('#events li[data-status=\"SHIPPED\"]')]"
							+ ".filter((li) => li.textContent.startsWith('/topic/orders.')).length"))
				.as("the missed event, once, from the order's topic")
				.isEqualTo(1L));
	}

	private Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.browser).executeScript(script, arguments);
	}

	private void await(String condition) {
		new WebDriverWait(this.browser, Duration.ofSeconds(20))
			.until((driver) -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(condition)));
	}

}
