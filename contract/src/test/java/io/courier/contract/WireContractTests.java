package io.courier.contract;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.validation.Validator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import io.courier.contract.Control.DisconnectRequest;
import io.courier.contract.Control.Reply;
import io.courier.contract.Control.SessionRequest;
import io.courier.contract.Control.SessionsRequest;
import io.courier.contract.LimitsDocument.Limits;
import io.courier.contract.LimitsDocument.UserLimits;
import io.courier.contract.SessionDetail.Heartbeat;
import io.courier.contract.SessionDetail.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire contract as JSON: each message is read from, and written as, a fixed sample of
 * what travels on {@code courier.cluster} today, so that renaming a field (or its record
 * component) fails here before it splits a cluster of old and new nodes. Both with the
 * applications' own mapper (Boot's auto-configured {@link JsonMapper} with
 * {@code spring.jackson.default-property-inclusion: non_null}, as app/ and admin-ui/
 * configure it) and with a bare one: the records carry their inclusion and leniency
 * themselves. Then the limits document's one rule, at its boundaries, through the
 * applications' {@link Validator}.
 */
class WireContractTests {

	private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

	private static final Instant T1 = Instant.parse("2026-11-24T10:05:00Z");

	private static AnnotationConfigApplicationContext boot;

	private static JsonMapper appMapper;

	private static Validator validator;

	@BeforeAll
	static void startBoot() {
		boot = new AnnotationConfigApplicationContext();
		TestPropertyValues.of("spring.jackson.default-property-inclusion=non_null").applyTo(boot);
		boot.register(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class);
		boot.refresh();
		appMapper = boot.getBean(JsonMapper.class);
		validator = boot.getBean(Validator.class);
	}

	@AfterAll
	static void stopBoot() {
		boot.close();
	}

	static Stream<Arguments> samples() {
		SessionInfo alice = new SessionInfo("s1", "gw-a", "alice", T0, "127.0.0.1", "Chromium", "websocket");
		String aliceJson = """
				{"sessionId":"s1","nodeId":"gw-a","user":"alice","connectedAt":"2026-11-24T10:00:00Z",
				 "remoteAddress":"127.0.0.1","userAgent":"Chromium","transport":"websocket"}""";
		NodeStatus status = new NodeStatus("gw-a", "http://127.0.0.1:8080", T0, 12, 3400, 5600, NodeStatus.UP,
				"0.1.0-SNAPSHOT",
				List.of(new BrokerLink(BrokerLink.STOMP, "rabbitmq-1:61613", true),
						new BrokerLink(BrokerLink.STOMP, "rabbitmq-2:61613", false),
						new BrokerLink(BrokerLink.AMQP, "rabbitmq-1:5672", true)));
		String heartbeatJson = """
				{"type":"node.heartbeat","nodeId":"gw-a","at":"2026-11-24T10:05:00Z",
				 "node":{"nodeId":"gw-a","address":"http://127.0.0.1:8080","startedAt":"2026-11-24T10:00:00Z",
				  "sessions":12,"framesIn":3400,"framesOut":5600,"relay":"UP","version":"0.1.0-SNAPSHOT",
				  "brokerLinks":[{"kind":"stomp","address":"rabbitmq-1:61613","up":true},
				   {"kind":"stomp","address":"rabbitmq-2:61613","up":false},
				   {"kind":"amqp","address":"rabbitmq-1:5672","up":true}]}}""";
		LimitHit hit = new LimitHit(LimitHit.TYPE, "gw-a", T0, LimitHit.HANDSHAKE_RATE, null, null, "127.0.0.1",
				"too many handshakes from 127.0.0.1");
		String hitJson = """
				{"type":"limits.hit","nodeId":"gw-a","at":"2026-11-24T10:00:00Z","limit":"handshake-rate",
				 "user":null,"sessionId":null,"remoteAddress":"127.0.0.1",
				 "detail":"too many handshakes from 127.0.0.1"}""";
		LimitsDocument document = new LimitsDocument(LimitsDocument.TYPE, 7, T0, "alice",
				new Limits(50.0, 100, 20, 20.0, 40),
				Map.of("bob", new UserLimits(200.0, 400, 50), "carol", new UserLimits(null, null, 1)));
		String documentJson = """
				{"type":"limits.changed","version":7,"at":"2026-11-24T10:00:00Z","changedBy":"alice",
				 "limits":{"frameRate":50.0,"frameBurst":100,"sessionsPerUser":20,"handshakeRate":20.0,
				  "handshakeBurst":40},
				 "overrides":{"bob":{"frameRate":200.0,"frameBurst":400,"sessionsPerUser":50},
				  "carol":{"sessionsPerUser":1}}}""";
		SessionDetail detail = new SessionDetail("s1", "gw-a", "alice", T0, "127.0.0.1", "Chromium", "websocket",
				List.of(new Subscription("sub-0", "/topic/orders.1001")), 7, 9, new Heartbeat(10000, 10000), T1);
		String detailJson = """
				{"sessionId":"s1","nodeId":"gw-a","user":"alice","connectedAt":"2026-11-24T10:00:00Z",
				 "remoteAddress":"127.0.0.1","userAgent":"Chromium","transport":"websocket",
				 "subscriptions":[{"id":"sub-0","destination":"/topic/orders.1001"}],"framesIn":7,"framesOut":9,
				 "heartbeat":{"client":10000,"server":10000},"lastActivity":"2026-11-24T10:05:00Z"}""";
		return Stream.of(
				sample("presence.join", ClusterMessage.class,
						new ClusterMessage(ClusterMessage.JOIN, "gw-a", T0, alice, null, null),
						"{\"type\":\"presence.join\",\"nodeId\":\"gw-a\",\"at\":\"2026-11-24T10:00:00Z\","
								+ "\"session\":" + aliceJson + "}"),
				sample("node.snapshot", ClusterMessage.class,
						new ClusterMessage(ClusterMessage.SNAPSHOT, "gw-a", T0, null, List.of(alice), null),
						"{\"type\":\"node.snapshot\",\"nodeId\":\"gw-a\",\"at\":\"2026-11-24T10:00:00Z\","
								+ "\"sessions\":[" + aliceJson + "]}"),
				sample("node.snapshot-request", ClusterMessage.class,
						new ClusterMessage(ClusterMessage.SNAPSHOT_REQUEST, "console-1a2b3c4d", T0, null, null, null),
						"{\"type\":\"node.snapshot-request\",\"nodeId\":\"console-1a2b3c4d\","
								+ "\"at\":\"2026-11-24T10:00:00Z\"}"),
				sample("node.heartbeat", ClusterMessage.class,
						new ClusterMessage(ClusterMessage.HEARTBEAT, "gw-a", T1, null, null, status), heartbeatJson),
				sample("limits.hit (a refused handshake: nulls written)", LimitHit.class, hit, hitJson),
				sample("limits.changed", LimitsDocument.class, document, documentJson),
				sample("control.sessions (absent filters are nulls)", SessionsRequest.class,
						new SessionsRequest("alice", null, null, "127.0.0.1"),
						"{\"user\":\"alice\",\"nodeId\":null,\"transport\":null,\"remoteAddress\":\"127.0.0.1\"}"),
				sample("control.session", SessionRequest.class, new SessionRequest("s1"), "{\"sessionId\":\"s1\"}"),
				sample("control.disconnect", DisconnectRequest.class, new DisconnectRequest(null, "bob", "ops"),
						"{\"user\":\"bob\",\"by\":\"ops\"}"),
				sample("reply to control.sessions", Reply.class, Reply.ofSessions("gw-a", List.of(detail)),
						"{\"nodeId\":\"gw-a\",\"sessions\":[" + detailJson + "]}"),
				sample("reply to control.session", Reply.class, Reply.ofSession("gw-a", detail),
						"{\"nodeId\":\"gw-a\",\"session\":" + detailJson + "}"),
				sample("reply to control.disconnect", Reply.class, Reply.ofClosed("gw-b", 0),
						"{\"nodeId\":\"gw-b\",\"closed\":0}"),
				sample("reply to an unknown command", Reply.class, Reply.ofError("gw-a", "unknown command control.x"),
						"{\"nodeId\":\"gw-a\",\"error\":\"unknown command control.x\"}"));
	}

	private static Arguments sample(String name, Class<?> type, Object message, String json) {
		return Arguments.argumentSet(name, type, message, json);
	}

	private static Stream<JsonMapper> mappers() {
		return Stream.of(appMapper, JsonMapper.builder().build());
	}

	@ParameterizedTest
	@MethodSource("samples")
	void readsAndWritesTheSampleExactly(Class<?> type, Object message, String json) {
		mappers().forEach((mapper) -> {
			String written = mapper.writeValueAsString(message);
			Object read = mapper.readValue(json, type);
			Object readBack = mapper.readValue(written, type);
			assertThat(mapper.readTree(written)).as(written).isEqualTo(mapper.readTree(json));
			assertThat(read).isEqualTo(message);
			assertThat(readBack).isEqualTo(message);
		});
	}

	@ParameterizedTest
	@MethodSource("samples")
	void ignoresFieldsItDoesNotKnowAtEveryLevel(Class<?> type, Object message, String json) {
		mappers().forEach((mapper) -> {
			JsonNode newer = mapper.readTree(json);
			addUnknownFields(newer);
			Object read = mapper.treeToValue(newer, type);
			assertThat(read).isEqualTo(message);
		});
	}

	/**
	 * What a newer writer might add: a field in every object (but inside maps, where a
	 * key is data).
	 */
	private static void addUnknownFields(JsonNode node) {
		if (node.isObject()) {
			node.properties().forEach((field) -> {
				if (!field.getKey().equals("overrides")) {
					addUnknownFields(field.getValue());
				}
				else {
					field.getValue().forEach(WireContractTests::addUnknownFields);
				}
			});
			((ObjectNode) node).put("addedLater", 1);
		}
		else if (node.isArray()) {
			node.forEach(WireContractTests::addUnknownFields);
		}
	}

	@Test
	void readsWhatAnOlderOrSparserWriterLeftOut() {
		mappers().forEach((mapper) -> {
			LimitsDocument partial = mapper.readValue("""
					{"type":"limits.changed","version":8,"limits":{"frameRate":20,"frameBurst":40}}""",
					LimitsDocument.class);
			assertThat(partial.limits()).isEqualTo(new Limits(20.0, 40, null, null, null));
			assertThat(partial.overrides()).isEmpty();
			assertThat(partial.limits().or(new Limits(50.0, 100, 20, 20.0, 40)))
				.isEqualTo(new Limits(20.0, 40, 20, 20.0, 40));
			assertThat(mapper.readValue("{\"type\":\"node.heartbeat\",\"nodeId\":\"gw-old\"}", ClusterMessage.class))
				.isEqualTo(new ClusterMessage(ClusterMessage.HEARTBEAT, "gw-old", null, null, null, null));
			NodeStatus beforeBrokerLinks = mapper.readValue("""
					{"nodeId":"gw-old","address":"http://127.0.0.1:8080","sessions":3,"framesIn":1,"framesOut":2,
					 "relay":"UP","version":"0.0.9"}""", NodeStatus.class);
			assertThat(beforeBrokerLinks).as("a node older than brokerLinks")
				.isEqualTo(new NodeStatus("gw-old", "http://127.0.0.1:8080", null, 3, 1, 2, "UP", "0.0.9", null));
			assertThat(mapper.readValue("{\"sessionId\":\"s1\",\"nodeId\":\"gw-a\",\"user\":\"alice\"}",
					SessionInfo.class))
				.isEqualTo(new SessionInfo("s1", "gw-a", "alice", null, null, null, null));
		});
	}

	@Test
	void aValidDocumentHasNoProblemsAtTheBoundsOfEveryField() {
		assertThat(document(1, new Limits(0.1, 1, 1, 0.1, 1), Map.of()).problems(validator)).isEmpty();
		assertThat(document(2, new Limits(10000.0, 100000, 10000, 10000.0, 100000),
				Map.of("bob", new UserLimits(0.1, 100000, 1)))
			.problems(validator)).isEmpty();
		assertThat(
				document(3, new Limits(null, null, null, null, null), Map.of("bob", new UserLimits(null, null, null)))
					.problems(validator))
			.as("absent fields are the properties (global) or the global value (override)")
			.isEmpty();
	}

	@Test
	void justOutsideTheBoundsEveryFieldIsNamed() {
		LimitsDocument low = document(0, new Limits(0.05, 0, 0, 0.099, 0), Map.of("bob", new UserLimits(0.05, 0, 0)));
		assertThat(low.problems(validator)).containsExactly("limits.frameBurst must be between 1 and 100000, was 0",
				"limits.frameRate must be between 0.1 and 10000, was 0.05",
				"limits.handshakeBurst must be between 1 and 100000, was 0",
				"limits.handshakeRate must be between 0.1 and 10000, was 0.099",
				"limits.sessionsPerUser must be between 1 and 10000, was 0",
				"overrides.bob.frameBurst must be between 1 and 100000, was 0",
				"overrides.bob.frameRate must be between 0.1 and 10000, was 0.05",
				"overrides.bob.sessionsPerUser must be between 1 and 10000, was 0",
				"version must be at least 1, was 0");
		LimitsDocument high = document(4, new Limits(10000.01, 100001, 10001, 10001.0, 100001), Map.of());
		assertThat(high.problems(validator)).containsExactly(
				"limits.frameBurst must be between 1 and 100000, was 100001",
				"limits.frameRate must be between 0.1 and 10000, was 10000.01",
				"limits.handshakeBurst must be between 1 and 100000, was 100001",
				"limits.handshakeRate must be between 0.1 and 10000, was 10001.0",
				"limits.sessionsPerUser must be between 1 and 10000, was 10001");
	}

	@Test
	void notANumberNegativeAndInfiniteRatesAreRefused() {
		assertThat(document(5, new Limits(Double.NaN, null, null, Double.POSITIVE_INFINITY, null),
				Map.of("bob", new UserLimits(-1.0, null, null)))
			.problems(validator)).containsExactly("limits.frameRate must be between 0.1 and 10000, was NaN",
					"limits.handshakeRate must be between 0.1 and 10000, was Infinity",
					"overrides.bob.frameRate must be between 0.1 and 10000, was -1.0");
	}

	@Test
	void aDocumentWithoutLimitsOrWithANullOverrideIsRefused() {
		Map<String, UserLimits> nullOverride = new HashMap<>();
		nullOverride.put("bob", null);
		assertThat(document(6, null, nullOverride).problems(validator))
			.containsExactly("limits is missing (the document is always the whole set)", "overrides.bob is null");
		LimitsDocument read = appMapper.readValue("""
				{"version":9,"limits":{},"overrides":{"bob":null}}""", LimitsDocument.class);
		assertThat(read.problems(validator)).containsExactly("overrides.bob is null");
	}

	private static LimitsDocument document(long version, Limits limits, Map<String, UserLimits> overrides) {
		return new LimitsDocument(LimitsDocument.TYPE, version, T0, "test", limits, overrides);
	}

}
