package io.courier.admin.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.courier.contract.ClusterMessage;
import io.courier.contract.LimitHit;
import io.courier.contract.NodeStatus;
import io.courier.contract.SessionInfo;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's picture of the cluster, fed the JSON the gateways publish. */
class ClusterViewTests {

	private final List<String> changes = new ArrayList<>();

	private final ClusterView view = new ClusterView(Duration.ofSeconds(15), 3, this.changes::add);

	private final Instant t0 = Instant.parse("2026-11-24T10:00:00Z");

	@Test
	void joinAsTheGatewayPublishesItShowsTheSessionWithAllItsFields() {
		ClusterMessage join = JsonMapper.builder().build().readValue("""
				{"type":"presence.join","nodeId":"gw-a","at":"2026-11-24T10:00:00Z","session":{"sessionId":"s1",
				"nodeId":"gw-a","user":"alice","connectedAt":"2026-11-24T10:00:00Z","remoteAddress":"127.0.0.1",
				"userAgent":"Chromium","transport":"websocket"}}""", ClusterMessage.class);
		this.view.join(join.session(), this.t0);
		assertThat(this.view.sessions()).singleElement()
			.isEqualTo(new SessionInfo("s1", "gw-a", "alice", this.t0, "127.0.0.1", "Chromium", "websocket"));
		assertThat(this.view.presenceChanges()).singleElement()
			.isEqualTo(new PresenceChange(this.t0, "alice", true, "gw-a"));
		assertThat(this.view.nodeIds()).containsExactly("gw-a");
	}

	@Test
	void frameRatesComeFromTwoHeartbeats() {
		this.view.heartbeat("gw-a", status(100, 1000), this.t0);
		this.view.heartbeat("gw-a", status(150, 2000), this.t0.plusSeconds(5));
		NodeView node = this.view.nodes().get(0);
		assertThat(node.framesInPerSecond()).isEqualTo(10.0);
		assertThat(node.framesOutPerSecond()).isEqualTo(200.0);
		assertThat(node.uptime(this.t0.plusSeconds(65))).isEqualTo(Duration.ofSeconds(125));
	}

	@Test
	void aUserGoesOfflineWithTheirLastSessionOnly() {
		this.view.join(session("s1", "gw-a", "alice"), this.t0);
		this.view.join(session("s2", "gw-b", "alice"), this.t0);
		this.view.leave("s1", this.t0.plusSeconds(1));
		assertThat(this.view.online()).containsEntry("alice", 1);
		this.view.leave("s2", this.t0.plusSeconds(2));
		assertThat(this.view.online()).isEmpty();
		assertThat(this.view.presenceChanges()).extracting(PresenceChange::online).containsExactly(false, true);
	}

	@Test
	void aSilentNodeExpiresWithItsSessions() {
		this.view.heartbeat("gw-a", null, this.t0);
		this.view.heartbeat("gw-b", null, this.t0.plusSeconds(10));
		this.view.join(session("s1", "gw-a", "alice"), this.t0);
		this.view.expire(this.t0.plusSeconds(16));
		assertThat(this.view.nodeIds()).containsExactly("gw-b");
		assertThat(this.view.sessions()).isEmpty();
		assertThat(this.view.presenceChanges().get(0).online()).isFalse();
	}

	@Test
	void aSnapshotReplacesWhatTheConsoleKnewOfThatNode() {
		this.view.join(session("s1", "gw-a", "alice"), this.t0);
		this.view.join(session("s2", "gw-b", "bob"), this.t0);
		this.view.snapshot("gw-a", List.of(session("s3", "gw-a", "carol")), this.t0);
		assertThat(this.view.sessions()).extracting(SessionInfo::sessionId).containsExactly("s2", "s3");
		assertThat(this.view.online()).containsOnlyKeys("bob", "carol");
	}

	@Test
	void historyIsBounded() {
		for (int i = 0; i < 5; i++) {
			this.view.limitHit(new LimitHit(LimitHit.TYPE, "gw-a", this.t0.plusSeconds(i), LimitHit.FRAME_RATE, "u" + i,
					null, "127.0.0.1", "rate limit exceeded"));
		}
		assertThat(this.view.limitHits()).extracting(LimitHit::user).containsExactly("u4", "u3", "u2");
		assertThat(this.changes).contains(ClusterView.LIMITS);
	}

	private SessionInfo session(String id, String node, String user) {
		return new SessionInfo(id, node, user, this.t0, "127.0.0.1", "test", "websocket");
	}

	private NodeStatus status(long in, long out) {
		return new NodeStatus("gw-a", "http://127.0.0.1:8080", this.t0.minusSeconds(60), 0, in, out, "UP", "0.1.0",
				null);
	}

}
