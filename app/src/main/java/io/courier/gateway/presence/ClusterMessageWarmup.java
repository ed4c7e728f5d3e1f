package io.courier.gateway.presence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.ObjectMapper;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.courier.contract.ClusterMessage;
import io.courier.contract.SessionInfo;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.warmup.WarmupProperties;
import io.courier.gateway.warmup.WarmupStep;

/**
 * The warm-up's JSON step: {@code courier.warmup.json} cluster messages (a session
 * joining, a node's heart-beat with its status) written and read back with the node's
 * {@link ObjectMapper}, as every CONNECT, disconnect and heart-beat does. In memory only:
 * nothing is published on {@code courier.cluster}.
 */
@Component
@Order(15)
class ClusterMessageWarmup implements WarmupStep {

	private final ObjectMapper mapper;

	private final NodeStatusSource status;

	private final WarmupProperties properties;

	private final String nodeId;

	ClusterMessageWarmup(ObjectMapper mapper, NodeStatusSource status, WarmupProperties properties,
			GatewayProperties gateway) {
		this.mapper = mapper;
		this.status = status;
		this.properties = properties;
		this.nodeId = gateway.nodeId();
	}

	@Override
	public String name() {
		return "json";
	}

	@Override
	public Map<String, Object> run(Instant deadline) {
		SessionInfo session = new SessionInfo("warmup", this.nodeId, "courier-warmup", Instant.now(), "127.0.0.1",
				"courier-warmup", "websocket");
		List<ClusterMessage> messages = List.of(
				new ClusterMessage(ClusterMessage.JOIN, this.nodeId, Instant.now(), session, null, null),
				new ClusterMessage(ClusterMessage.HEARTBEAT, this.nodeId, Instant.now(), null, null,
						this.status.status()));
		int done = 0;
		while (done < this.properties.json() && Instant.now().isBefore(deadline)) {
			byte[] json = this.mapper.writeValueAsBytes(messages.get(done % messages.size()));
			this.mapper.readValue(json, ClusterMessage.class);
			done++;
		}
		return Map.of("messages", done);
	}

}
