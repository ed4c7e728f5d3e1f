package io.courier.gateway.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.courier.contract.SessionInfo;
import io.courier.gateway.presence.PresenceRegistry.Transition;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceRegistryTests {

	private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

	private final PresenceRegistry registry = new PresenceRegistry(Duration.ofSeconds(15));

	@Test
	void firstSessionBringsUserOnlineAndSecondTabDoesNotFlipAgain() {
		assertThat(this.registry.join(session("s1", "a", "alice"), T0))
			.containsExactly(new Transition("alice", true, 1));
		assertThat(this.registry.join(session("s2", "b", "alice"), T0)).isEmpty();
		assertThat(this.registry.sessionsOf("alice")).hasSize(2);
	}

	@Test
	void lastSessionLeavingTakesUserOffline() {
		this.registry.join(session("s1", "a", "alice"), T0);
		this.registry.join(session("s2", "b", "alice"), T0);
		assertThat(this.registry.leave("a", "s1")).isEmpty();
		assertThat(this.registry.leave("b", "s2")).containsExactly(new Transition("alice", false, 0));
	}

	@Test
	void silentNodeExpiresWithItsSessionsButSelfNever() {
		this.registry.join(session("s1", "a", "alice"), T0);
		this.registry.join(session("s2", "b", "bob"), T0);
		this.registry.heartbeat("b", T0.plusSeconds(10));

		List<Transition> expired = this.registry.expire(T0.plusSeconds(16), "b");

		assertThat(expired).containsExactly(new Transition("alice", false, 0));
		assertThat(this.registry.nodes()).containsExactly("b");
		assertThat(this.registry.expire(T0.plusSeconds(100), "b")).isEmpty();
	}

	@Test
	void snapshotReplacesWhatWasKnownOfThatNode() {
		this.registry.join(session("s1", "a", "alice"), T0);
		List<Transition> transitions = this.registry.snapshot("a", List.of(session("s9", "a", "carol")), T0);
		assertThat(transitions).containsExactlyInAnyOrder(new Transition("alice", false, 0),
				new Transition("carol", true, 1));
	}

	@Test
	void theUserIndexFollowsEveryKindOfChange() {
		this.registry.join(session("s1", "a", "alice"), T0);
		this.registry.join(session("s2", "b", "alice"), T0);
		this.registry.join(session("s3", "b", "bob"), T0);
		assertThat(this.registry.sessionCount("alice")).isEqualTo(2);

		// the same session id announced again for another user moves it
		assertThat(this.registry.join(session("s1", "a", "carol"), T0))
			.containsExactly(new Transition("carol", true, 1));
		assertThat(this.registry.sessionCount("alice")).isEqualTo(1);
		assertThat(this.registry.leave("a", "unknown")).isEmpty();

		assertThat(this.registry.removeNode("b")).containsExactlyInAnyOrder(new Transition("alice", false, 0),
				new Transition("bob", false, 0));
		assertThat(this.registry.onlineUsers()).containsExactly("carol");
		assertThat(this.registry.session("a", "s1").user()).isEqualTo("carol");
		assertThat(this.registry.sessionsOf("bob")).isEmpty();

		assertThat(this.registry.snapshot("a", List.of(session("s1", "a", "carol"), session("s4", "a", "carol")), T0))
			.isEmpty();
		assertThat(this.registry.sessionCount("carol")).isEqualTo(2);
		assertThat(this.registry.removeNode("a")).containsExactly(new Transition("carol", false, 0));
		assertThat(this.registry.onlineUsers()).isEmpty();
	}

	private static SessionInfo session(String id, String node, String user) {
		return new SessionInfo(id, node, user, T0, "127.0.0.1", "test", "websocket");
	}

}
