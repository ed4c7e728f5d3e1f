package io.courier.gateway.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.context.ConfigurableApplicationContext;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.HeadlessChromium;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page the gateway serves ({@code /chat/index.html}), in headless Chromium: two
 * users in two tabs, each on its own gateway node, join a room from their tokens'
 * {@code rooms} claim, see each other online, exchange messages that show the sender the
 * gateway stamped, and see the other go offline when they leave.
 */
class ChatPageBrowserTests extends GatewayIntegrationTest {

	private static ConfigurableApplicationContext nodeB;

	private WebDriver browser;

	@BeforeAll
	static void startNodeB() {
		nodeB = GatewayNodes.start("chat-page-b", Map.of());
	}

	@AfterAll
	static void stopNodeB() {
		GatewayNodes.close(nodeB);
	}

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
	void twoUsersChatAndSeeEachOtherOnline() {
		String room = "room" + System.nanoTime();
		String alice = "alice" + System.nanoTime();
		String bob = "bob" + System.nanoTime();
		String aliceTab = join(this.port, alice, room);
		this.browser.switchTo().newWindow(WindowType.TAB);
		String bobTab = join(GatewayNodes.port(nodeB), bob, room);

		await(bobTab, "return document.querySelector('#roster li[data-user=\"" + alice
				+ "\"][data-online=\"true\"]') !== null");
		await(aliceTab, "return document.querySelector('#roster li[data-user=\"" + bob
				+ "\"][data-online=\"true\"]') !== null");

		say(aliceTab, "hello bob");
		await(bobTab, "return document.querySelectorAll('#messages li').length === 1");
		assertThat(script(bobTab, "return document.querySelector('#messages li').getAttribute('data-sender')"))
			.isEqualTo(alice);
		assertThat(script(bobTab, "return document.querySelector('#messages li .text').textContent"))
			.isEqualTo("hello bob");

		say(bobTab, "hi alice");
		await(aliceTab, "return document.querySelectorAll('#messages li').length === 2");
		assertThat(script(aliceTab, "return document.querySelectorAll('#messages li')[1].getAttribute('data-sender')"))
			.isEqualTo(bob);

		this.browser.switchTo().window(bobTab);
		this.browser.findElement(By.id("disconnect")).click();
		await(aliceTab, "return document.querySelector('#roster li[data-user=\"" + bob
				+ "\"][data-online=\"false\"]') !== null");
	}

	@Test
	void aRoomTheTokenDoesNotListIsRefusedAndNotRetried() {
		String tab = open(this.port,
				this.idp.tokenWithClaims("eve" + System.nanoTime(), Map.of("rooms", List.of("ops"))), "general");
		await(tab, "return document.getElementById('state').getAttribute('data-state') === 'refused'");
		assertThat(script(tab, "return document.getElementById('state').textContent")).isEqualTo(
				"refused: forbidden destination: /topic/chat.general (general is not in the token's rooms claim)");
	}

	private String join(int port, String user, String room) {
		String tab = open(port, this.idp.tokenWithClaims(user, Map.of("rooms", List.of(room))), room);
		await(tab, "return document.getElementById('state').getAttribute('data-state') === 'connected'");
		return tab;
	}

	private String open(int port, String token, String room) {
		this.browser.get("http://127.0.0.1:" + port + "/chat/index.html");
		String tab = this.browser.getWindowHandle();
		script(tab,
				"document.getElementById('token').value = arguments[0];"
						+ "document.getElementById('room').value = arguments[1];"
						+ "document.getElementById('connect').click();",
				token, room);
		return tab;
	}

	private void say(String tab, String text) {
		this.browser.switchTo().window(tab);
		this.browser.findElement(By.id("message")).sendKeys(text);
		this.browser.findElement(By.id("send")).click();
	}

	private Object script(String tab, String script, Object... arguments) {
		this.browser.switchTo().window(tab);
		return ((JavascriptExecutor) this.browser).executeScript(script, arguments);
	}

	private void await(String tab, String condition) {
		this.browser.switchTo().window(tab);
		new WebDriverWait(this.browser, Duration.ofSeconds(20))
			.until((driver) -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(condition)));
	}

}
