package io.courier.admin.nodes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import io.courier.admin.live.LiveUpdates;

/**
 * Reads RabbitMQ's management API ({@code /api/overview}, {@code /api/nodes},
 * {@code /api/queues/<vhost>}) every {@link BrokerProperties#refresh()} and keeps the
 * last {@link BrokerHealth}; pages read that, never the API. Its alarms: resource alarms,
 * nodes down or partitioned, and {@link MissingReplicas}.
 */
@Component
public class BrokerMonitor {

	private final RestClient client;

	private final BrokerProperties properties;

	private final LiveUpdates live;

	private volatile BrokerHealth health = BrokerHealth.unavailable(Instant.now(), "not read yet");

	private final ObjectMapper mapper;

	BrokerMonitor(RestClient.Builder builder, BrokerProperties properties, LiveUpdates live, ObjectMapper mapper) {
		this.mapper = mapper;
		this.client = builder.baseUrl(properties.url().toString())
			.defaultHeaders((headers) -> headers.setBasicAuth(properties.username(), properties.password()))
			.defaultHeader(HttpHeaders.ACCEPT, "application/json")
			.build();
		this.properties = properties;
		this.live = live;
	}

	public BrokerHealth health() {
		return this.health;
	}

	@Scheduled(fixedDelayString = "${courier.admin.broker.refresh:5s}")
	void refresh() {
		this.health = read();
		this.live.changed(LiveUpdates.BROKER);
	}

	BrokerHealth read() {
		Instant now = Instant.now();
		try {
			JsonNode overview = get("/api/overview");
			JsonNode nodes = get("/api/nodes");
			String queuesJson = text("/api/queues/{vhost}?columns=name,type,messages,consumers,message_stats,members",
					this.properties.virtualHost());
			JsonNode queues = this.mapper.readTree(queuesJson);
			Map<String, List<String>> members = QueueMembers.of(queuesJson);
			List<BrokerHealth.Node> nodeRows = new ArrayList<>();
			List<String> alarms = new ArrayList<>();
			for (JsonNode node : nodes) {
				BrokerHealth.Node row = new BrokerHealth.Node(node.path("name").asString(""),
						node.path("running").asBoolean(false), node.path("mem_alarm").asBoolean(false),
						node.path("disk_free_alarm").asBoolean(false), node.path("mem_used").asLong(0),
						node.path("mem_limit").asLong(0), node.path("fd_used").asLong(0),
						node.path("fd_total").asLong(0), node.path("uptime").asLong(0), texts(node.path("partitions")));
				nodeRows.add(row);
				if (row.memoryAlarm()) {
					alarms.add("memory alarm on " + row.name());
				}
				if (row.diskAlarm()) {
					alarms.add("disk alarm on " + row.name());
				}
				if (!row.running()) {
					alarms.add(row.name() + " is not running");
				}
				if (!row.partitions().isEmpty()) {
					alarms.add("partition: " + row.name() + " lost " + String.join(", ", row.partitions()));
				}
			}
			List<BrokerHealth.Listener> listeners = new ArrayList<>();
			for (JsonNode listener : overview.path("listeners")) {
				listeners.add(new BrokerHealth.Listener(listener.path("node").asString(""),
						listener.path("protocol").asString(""), listener.path("ip_address").asString(""),
						listener.path("port").asInt(0)));
			}
			List<BrokerHealth.QueueRow> queueRows = new ArrayList<>();
			for (JsonNode queue : queues) {
				queueRows.add(new BrokerHealth.QueueRow(queue.path("name").asString(""),
						queue.path("type").asString("classic"), queue.path("messages").asLong(0),
						queue.path("consumers").asLong(0),
						queue.path("message_stats").path("publish_details").path("rate").asDouble(0),
						members.getOrDefault(queue.path("name").asString(""), List.of())));
			}
			alarms.addAll(MissingReplicas.alarms(this.properties.virtualHost(), nodeRows, queueRows));
			JsonNode totals = overview.path("object_totals");
			JsonNode stats = overview.path("message_stats");
			return new BrokerHealth(now, null, overview.path("rabbitmq_version").asString(null),
					overview.path("erlang_version").asString(null), overview.path("cluster_name").asString(null),
					nodeRows, listeners, totals.path("connections").asLong(0), totals.path("channels").asLong(0),
					totals.path("queues").asLong(0), stats.path("publish_details").path("rate").asDouble(0),
					stats.path("deliver_get_details").path("rate").asDouble(0), queueRows, alarms);
		}
		catch (RestClientException | JacksonException ex) {
			return BrokerHealth.unavailable(now,
					"management API at " + this.properties.url() + " not readable: " + ex.getMessage());
		}
	}

	private static List<String> texts(JsonNode array) {
		List<String> texts = new ArrayList<>();
		array.forEach((item) -> texts.add(item.asString("")));
		return texts;
	}

	private JsonNode get(String path, Object... variables) {
		return this.mapper.readTree(text(path, variables));
	}

	private String text(String path, Object... variables) {
		String body = this.client.get().uri(path, variables).retrieve().body(String.class);
		if (body == null) {
			throw new RestClientException("empty answer from " + path);
		}
		return body;
	}

}
