package io.courier.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.courier.admin.nodes.BrokerHealth;
import io.courier.admin.nodes.BrokerMonitor;
import io.courier.admin.support.Chromium;
import io.courier.admin.support.GatewayProcess;
import io.courier.admin.support.RawStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console end to end, in headless Chromium: a real gateway (child JVM, dev mode) and
 * the console in this JVM, both on the test vhost of the real RabbitMQ. The order page of
 * the gateway is the STOMP client. The gateway is shared by the tests; each test has a
 * fresh browser (no session cookie, no tab), its own users and order, and logs in and
 * opens the order page itself, so that any one of them runs alone and in any order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@ActiveProfiles("dev")
class ConsoleBrowserIntegrationTests {

	private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

	private static final String NODE = "e2e-gw-" + RUN;

	private static GatewayProcess gateway;

	private WebDriver browser;

	private String consoleTab;

	@LocalServerPort
	int port;

	@Autowired
	BrokerMonitor brokerMonitor;

	@DynamicPropertySource
	static void auditFile(DynamicPropertyRegistry registry) throws Exception {
		Path audit = Files.createTempDirectory("courier-console-audit").resolve("audit.log");
		registry.add("courier.admin.audit.file", audit::toString);
	}

	@BeforeAll
	static void startGateway() {
		gateway = GatewayProcess.start(NODE);
	}

	@AfterAll
	static void stopGateway() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@BeforeEach
	void startBrowser() {
		this.browser = Chromium.start();
		this.consoleTab = this.browser.getWindowHandle();
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void operatorLogsInAndSeesTheGatewayNodeAndRabbitMq() {
		logIn("operator", "courier-operator");
		await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
			this.browser.navigate().refresh();
			assertThat(this.browser.findElements(By.cssSelector("tr.node[data-node='" + NODE + "']"))).hasSize(1);
		});
		// The page's live regions are swapped (live.js) on every node heart-beat: each
		// element is read in one go,
		// again if a swap replaced it between find and read.
		await().atMost(10, TimeUnit.SECONDS).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
			assertThat(textOf(By.cssSelector("tr.node[data-node='" + NODE + "']")))
				.contains("http://127.0.0.1:" + gateway.port())
				.contains("UP");
			assertThat(textOf(By.id("stomp-listener"))).isEqualTo("listening");
		});
		Chromium.screenshot(this.browser, "console-overview");
	}

	@Test
	void theManagementApisQueueMembersAreReadAndAOneNodeBrokerRaisesNoReplicaAlarm() {
		// courier.order-events, declared by the gateway this class starts, as RabbitMQ
		// lists it: a quorum queue whose one member is the one node
		BrokerHealth.QueueRow events = await().atMost(15, TimeUnit.SECONDS)
			.until(() -> this.brokerMonitor.health()
				.queues()
				.stream()
				.filter((queue) -> queue.name().equals("courier.order-events"))
				.findFirst(), Optional::isPresent)
			.get();
		String rabbit = this.brokerMonitor.health().nodes().get(0).name();
		assertThat(events.type()).isEqualTo("quorum");
		assertThat(events.members()).containsExactly(rabbit);
		assertThat(this.brokerMonitor.health().alarms()).noneMatch((alarm) -> alarm.contains("has no member"));
	}

	@Test
	void brokerNodesShowTheGatewaysRelayAndAmqpConnectionsOnTheirRabbitMqNode() {
		String rabbit = await().atMost(15, TimeUnit.SECONDS)
			.until(() -> this.brokerMonitor.health().nodes(), (nodes) -> !nodes.isEmpty())
			.get(0)
			.name();
		logIn("operator", "courier-operator");
		By links = By
			.cssSelector("tr.broker-node[data-broker-node='" + rabbit + "'] .link[data-gateway='" + NODE + "']");
		By counts = By.cssSelector("tr.node[data-node='" + NODE + "'] .broker-counts");
		await().atMost(20, TimeUnit.SECONDS).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
			this.browser.navigate().refresh();
			assertThat(this.browser.findElements(links)).extracting(WebElement::getText)
				.as("the gateway's 4 pooled relay connections and its AMQP connection, on the one broker node")
				.containsExactlyInAnyOrder(NODE + " stomp 127.0.0.1:61613 ×4", NODE + " amqp 127.0.0.1:5672");
			assertThat(textOf(counts)).isEqualTo(rabbit + ": 5");
		});
		assertThat(this.browser.findElements(By.cssSelector("tr.broker-node[data-broker-node='unknown node']")))
			.as("every connection matched a listener")
			.isEmpty();
		Chromium.screenshot(this.browser, "console-broker-nodes");
	}

	@Test
	void aSessionAppearsLiveWhenTheOrderPageConnects() {
		String alice = user("live");
		logIn("operator", "courier-operator");
		this.browser.get(console("/connections"));
		((JavascriptExecutor) this.browser).executeScript("window.notReloaded = true;");
		openOrderPage(alice, order());

		this.browser.switchTo().window(this.consoleTab);
		By row = By.cssSelector("tr.session[data-user='" + alice + "']");
		await().atMost(15, TimeUnit.SECONDS).until(() -> !this.browser.findElements(row).isEmpty());
		assertThat(((JavascriptExecutor) this.browser).executeScript("return window.notReloaded === true;"))
			.as("updated in place over SSE, not by a reload")
			.isEqualTo(true);
		assertThat(textOf(row)).contains(NODE).contains("websocket").contains("127.0.0.1");
		Chromium.screenshot(this.browser, "console-connections");
	}

	@Test
	void anOrderEventPublishedByABackendShowsOnTheOrderPage() {
		String alice = user("events");
		String order = order();
		openOrderPage(alice, order);
		await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
			assertThat(gateway.publishOrderEvent(order, alice, "SHIPPED")).isEqualTo(202);
			assertThat(this.browser
				.findElements(By.cssSelector("#events li[data-order='" + order + "'][data-status='SHIPPED']")))
				.isNotEmpty();
		});
		assertThat(textOf(By.cssSelector("#order-" + order + " .status"))).isEqualTo("SHIPPED");
		Chromium.screenshot(this.browser, "order-page");
	}

	@Test
	void operatorDisconnectsTheSessionAndTheClientIsClosedThenReconnects() {
		String alice = user("disconnected");
		logIn("operator", "courier-operator");
		String orderTab = openOrderPage(alice, order());

		this.browser.switchTo().window(this.consoleTab);
		this.browser.get(console("/connections?user=" + alice));
		// The live page swaps its table when sessions change (live.js): a row found a
		// moment ago may be gone, and
		// the console may not list the session yet.
		String sessionId = await().atMost(10, TimeUnit.SECONDS)
			.ignoreExceptionsMatching(
					(ex) -> ex instanceof StaleElementReferenceException || ex instanceof NoSuchElementException)
			.until(() -> {
				WebElement row = this.browser.findElement(By.cssSelector("tr.session[data-user='" + alice + "']"));
				String id = row.getAttribute("data-session");
				row.findElement(By.linkText("Disconnect")).click();
				return id;
			}, (id) -> id != null);
		awaitText(By.id("confirm-text"), sessionId);
		this.browser.findElement(By.id("confirm-disconnect")).click();
		awaitText(By.id("message"), "1 session(s) closed");

		this.browser.switchTo().window(orderTab);
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(textOf(By.id("log"))).contains("disconnected by operator"));
		awaitState("connected");

		this.browser.switchTo().window(this.consoleTab);
		this.browser.get(console("/audit"));
		assertThat(textOf(By.xpath("//tr[contains(@class, 'audit-entry')][contains(., '" + sessionId + "')]")))
			.contains("operator")
			.contains("disconnect-session")
			.contains("1 session(s) closed");
	}

	@Test
	void operatorSetsAUsersSessionLimitAndTheGatewayEnforcesIt() throws Exception {
		String bob = user("limited");
		logIn("operator", "courier-operator");
		this.browser.get(console("/limits"));
		WebElement form = this.browser.findElement(By.id("override-form"));
		form.findElement(By.name("user")).sendKeys(bob);
		form.findElement(By.name("sessionsPerUser")).sendKeys("1");
		form.findElement(By.id("save-override")).click();
		awaitText(By.id("message"), "Published limits version");
		assertThat(textOf(By.cssSelector("tr.override[data-user='" + bob + "']"))).contains("1");
		Chromium.screenshot(this.browser, "console-limits");

		String token = gateway.mint(bob, "", "");
		try (RawStompClient first = RawStompClient.connect(gateway.wsUrl(), token)) {
			assertThat(first.nextFrame(Duration.ofSeconds(10))).startsWith("CONNECTED");
			await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
				try (RawStompClient second = RawStompClient.connect(gateway.wsUrl(), token)) {
					assertThat(second.nextFrame(Duration.ofSeconds(5)))
						.isEqualTo("ERROR too many sessions: limit 1 per user");
				}
			});
		}
		// a refresh can replace the element between finding and reading it: try again
		// then
		await().atMost(10, TimeUnit.SECONDS).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
			this.browser.navigate().refresh();
			assertThat(textOf(By.id("hits"))).contains("sessions-per-user").contains(bob);
		});
	}

	@Test
	void viewerSeesEverythingButCannotDisconnectOrEditLimits() {
		logIn("operator", "courier-operator");
		this.browser.findElement(By.cssSelector("header form button")).click(); // log out
		logIn("viewer", "courier-viewer");
		this.browser.get(console("/limits"));
		assertThat(this.browser.findElements(By.id("override-form"))).isEmpty();
		assertThat(textOf(By.id("viewer-note"))).contains("Only an OPERATOR");
		this.browser.get(console("/connections"));
		assertThat(this.browser.findElements(By.linkText("Disconnect"))).isEmpty();
		// Forging the POST with a valid CSRF token does not help: the server refuses it.
		Object status = ((JavascriptExecutor) this.browser).executeAsyncScript(
				"""
						const done = arguments[arguments.length - 1];
						const csrf = document.querySelector('header form input[name=_csrf]').value;
						fetch('/limits/overrides', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
						  body: '_csrf=' + encodeURIComponent(csrf) + '&user=mallory&sessionsPerUser=1000&version=0', redirect: 'manual' })
						  .then(r => done(r.status), e => done(String(e)));""");
		assertThat(status).isEqualTo(403L);
	}

	/**
	 * A user of this run only, so that no other test (or run) has sessions or limits for
	 * it.
	 */
	private static String user(String name) {
		return "e2e-" + name + "-" + RUN;
	}

	private static String order() {
		return "77" + Math.abs(UUID.randomUUID().hashCode() % 100000);
	}

	/**
	 * Opens the gateway's order page in a new tab, mints a token for {@code user} and
	 * {@code order} there and connects; returns the tab, left selected.
	 */
	private String openOrderPage(String user, String order) {
		this.browser.switchTo().newWindow(WindowType.TAB);
		String tab = this.browser.getWindowHandle();
		this.browser.get(gateway.url("/"));
		this.browser.findElement(By.id("mint-user")).clear();
		this.browser.findElement(By.id("mint-user")).sendKeys(user);
		this.browser.findElement(By.id("mint-orders")).clear();
		this.browser.findElement(By.id("mint-orders")).sendKeys(order);
		this.browser.findElement(By.id("mint")).click();
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> !this.browser.findElement(By.id("token")).getAttribute("value").isEmpty());
		this.browser.findElement(By.id("connect")).click();
		awaitState("connected");
		return tab;
	}

	private void logIn(String user, String password) {
		this.browser.get(console("/login"));
		this.browser.findElement(By.id("username")).sendKeys(user);
		this.browser.findElement(By.id("password")).sendKeys(password);
		this.browser.findElement(By.id("login")).click();
		awaitText(By.cssSelector("header .who"), user);
	}

	/**
	 * The text of an element on a live page: live.js swaps fragments whenever the console
	 * pushes a change, so an element found may be replaced before it is read; it is then
	 * found and read again.
	 */
	private String textOf(By element) {
		return await().atMost(5, TimeUnit.SECONDS)
			.ignoreException(StaleElementReferenceException.class)
			.until(() -> this.browser.findElement(element).getText(), text -> true);
	}

	/** After a click that navigates: the next page may not be there yet. */
	private void awaitText(By element, String text) {
		await().atMost(10, TimeUnit.SECONDS)
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(textOf(element)).contains(text));
	}

	private void awaitState(String state) {
		await().atMost(20, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(this.browser.findElement(By.id("state")).getAttribute("data-state"))
				.as(this.browser.findElement(By.id("state")).getText() + " / log: "
						+ this.browser.findElement(By.id("log")).getText())
				.isEqualTo(state));
	}

	private String console(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
