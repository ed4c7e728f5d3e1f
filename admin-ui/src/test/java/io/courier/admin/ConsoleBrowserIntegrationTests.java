package io.courier.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.courier.admin.support.Chromium;
import io.courier.admin.support.GatewayProcess;
import io.courier.admin.support.RawStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console end to end, in headless Chromium: a real gateway (child JVM, dev mode) and the console in this JVM,
 * both on the test vhost of the real RabbitMQ. The order page of the gateway is the STOMP client. One browser, two
 * tabs (console, order page); the tests run in order and build on each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@ActiveProfiles("dev")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIntegrationTests {

	private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

	private static final String NODE = "e2e-gw-" + RUN;

	private static final String ALICE = "e2e-alice-" + RUN;

	private static final String BOB = "e2e-bob-" + RUN;

	private static final String ORDER = "77" + Math.abs(RUN.hashCode() % 10000);

	private static GatewayProcess gateway;

	private static WebDriver browser;

	private static String consoleTab;

	private static String orderTab;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void auditFile(DynamicPropertyRegistry registry) throws Exception {
		Path audit = Files.createTempDirectory("courier-console-audit").resolve("audit.log");
		registry.add("courier.admin.audit.file", audit::toString);
	}

	@BeforeAll
	static void start() {
		gateway = GatewayProcess.start(NODE);
		browser = Chromium.start();
		consoleTab = browser.getWindowHandle();
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	@Order(1)
	void operatorLogsInAndSeesTheGatewayNodeAndRabbitMq() {
		logIn("operator", "courier-operator");
		await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(browser.findElements(By.cssSelector("tr.node[data-node='" + NODE + "']"))).hasSize(1);
		});
		// The page's live regions are swapped (live.js) on every node heart-beat: each element is read in one go,
		// again if a swap replaced it between find and read.
		await().atMost(10, TimeUnit.SECONDS)
			.ignoreException(StaleElementReferenceException.class)
			.untilAsserted(() -> {
				assertThat(textOf(By.cssSelector("tr.node[data-node='" + NODE + "']")))
					.contains("http://127.0.0.1:" + gateway.port())
					.contains("UP");
				assertThat(textOf(By.id("stomp-listener"))).isEqualTo("listening");
			});
		Chromium.screenshot(browser, "console-overview");
	}

	@Test
	@Order(2)
	void aSessionAppearsLiveWhenTheOrderPageConnects() {
		browser.get(console("/connections"));
		((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
		browser.switchTo().newWindow(WindowType.TAB);
		orderTab = browser.getWindowHandle();
		browser.get(gateway.url("/"));
		browser.findElement(By.id("mint-user")).clear();
		browser.findElement(By.id("mint-user")).sendKeys(ALICE);
		browser.findElement(By.id("mint-orders")).clear();
		browser.findElement(By.id("mint-orders")).sendKeys(ORDER);
		browser.findElement(By.id("mint")).click();
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> !browser.findElement(By.id("token")).getAttribute("value").isEmpty());
		browser.findElement(By.id("connect")).click();
		awaitState("connected");

		browser.switchTo().window(consoleTab);
		By row = By.cssSelector("tr.session[data-user='" + ALICE + "']");
		await().atMost(15, TimeUnit.SECONDS).until(() -> !browser.findElements(row).isEmpty());
		assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"))
			.as("updated in place over SSE, not by a reload")
			.isEqualTo(true);
		assertThat(textOf(row)).contains(NODE).contains("websocket").contains("127.0.0.1");
		Chromium.screenshot(browser, "console-connections");
	}

	@Test
	@Order(3)
	void anOrderEventPublishedByABackendShowsOnTheOrderPage() {
		browser.switchTo().window(orderTab);
		await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
			assertThat(gateway.publishOrderEvent(ORDER, ALICE, "SHIPPED")).isEqualTo(202);
			assertThat(browser.findElements(By.cssSelector("#events li[data-order='" + ORDER + "'][data-status='SHIPPED']")))
				.isNotEmpty();
		});
		assertThat(textOf(By.cssSelector("#order-" + ORDER + " .status"))).isEqualTo("SHIPPED");
		Chromium.screenshot(browser, "order-page");
	}

	@Test
	@Order(4)
	void operatorDisconnectsTheSessionAndTheClientIsClosedThenReconnects() {
		browser.switchTo().window(consoleTab);
		browser.get(console("/connections?user=" + ALICE));
		// The live page swaps its table when sessions change (live.js): a row found a moment ago may be gone.
		String sessionId = await().atMost(10, TimeUnit.SECONDS)
			.ignoreException(StaleElementReferenceException.class)
			.until(() -> {
				WebElement row = browser.findElement(By.cssSelector("tr.session[data-user='" + ALICE + "']"));
				String id = row.getAttribute("data-session");
				row.findElement(By.linkText("Disconnect")).click();
				return id;
			}, (id) -> id != null);
		awaitText(By.id("confirm-text"), sessionId);
		browser.findElement(By.id("confirm-disconnect")).click();
		awaitText(By.id("message"), "1 session(s) closed");

		browser.switchTo().window(orderTab);
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(textOf(By.id("log"))).contains("disconnected by operator"));
		awaitState("connected");

		browser.switchTo().window(consoleTab);
		browser.get(console("/audit"));
		assertThat(textOf(By.cssSelector("tr.audit-entry"))).contains("operator")
			.contains("disconnect-session")
			.contains(sessionId)
			.contains("1 session(s) closed");
	}

	@Test
	@Order(5)
	void operatorSetsAUsersSessionLimitAndTheGatewayEnforcesIt() throws Exception {
		browser.switchTo().window(consoleTab);
		browser.get(console("/limits"));
		WebElement form = browser.findElement(By.id("override-form"));
		form.findElement(By.name("user")).sendKeys(BOB);
		form.findElement(By.name("sessionsPerUser")).sendKeys("1");
		form.findElement(By.id("save-override")).click();
		awaitText(By.id("message"), "Published limits version");
		assertThat(textOf(By.cssSelector("tr.override[data-user='" + BOB + "']"))).contains("1");
		Chromium.screenshot(browser, "console-limits");

		String token = gateway.mint(BOB, "", "");
		try (RawStompClient first = RawStompClient.connect(gateway.wsUrl(), token)) {
			assertThat(first.nextFrame(Duration.ofSeconds(10))).startsWith("CONNECTED");
			await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
				try (RawStompClient second = RawStompClient.connect(gateway.wsUrl(), token)) {
					assertThat(second.nextFrame(Duration.ofSeconds(5))).isEqualTo("ERROR too many sessions: limit 1 per user");
				}
			});
		}
		// a refresh can replace the element between finding and reading it: try again then
		await().atMost(10, TimeUnit.SECONDS).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(textOf(By.id("hits"))).contains("sessions-per-user").contains(BOB);
		});
	}

	@Test
	@Order(6)
	void viewerSeesEverythingButCannotDisconnectOrEditLimits() {
		browser.switchTo().window(consoleTab);
		browser.get(console("/"));
		browser.findElement(By.cssSelector("header form button")).click();
		logIn("viewer", "courier-viewer");
		browser.get(console("/limits"));
		assertThat(browser.findElements(By.id("override-form"))).isEmpty();
		assertThat(textOf(By.id("viewer-note"))).contains("Only an OPERATOR");
		browser.get(console("/connections"));
		assertThat(browser.findElements(By.linkText("Disconnect"))).isEmpty();
		// Forging the POST with a valid CSRF token does not help: the server refuses it.
		Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				const csrf = document.querySelector('header form input[name=_csrf]').value;
				fetch('/limits/overrides', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				  body: '_csrf=' + encodeURIComponent(csrf) + '&user=mallory&sessionsPerUser=1000&version=0', redirect: 'manual' })
				  .then(r => done(r.status), e => done(String(e)));""");
		assertThat(status).isEqualTo(403L);
	}

	private void logIn(String user, String password) {
		browser.get(console("/login"));
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(password);
		browser.findElement(By.id("login")).click();
		awaitText(By.cssSelector("header .who"), user);
	}

	/**
	 * The text of an element on a live page: live.js swaps fragments whenever the console pushes a change, so an
	 * element found may be replaced before it is read; it is then found and read again.
	 */
	private String textOf(By element) {
		return await().atMost(5, TimeUnit.SECONDS)
			.ignoreException(StaleElementReferenceException.class)
			.until(() -> browser.findElement(element).getText(), text -> true);
	}

	/** After a click that navigates: the next page may not be there yet. */
	private void awaitText(By element, String text) {
		await().atMost(10, TimeUnit.SECONDS).ignoreExceptions()
			.untilAsserted(() -> assertThat(textOf(element)).contains(text));
	}

	private void awaitState(String state) {
		await().atMost(20, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(browser.findElement(By.id("state")).getAttribute("data-state")).as(
					browser.findElement(By.id("state")).getText() + " / log: " + browser.findElement(By.id("log")).getText())
				.isEqualTo(state));
	}

	private String console(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
