package io.courier.gateway.presence;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.courier.contract.SessionInfo;

/**
 * {@code GET /api/presence/{userId}}: is the user online anywhere in the cluster, on how
 * many sessions.
 */
@RestController
class PresenceController {

	private final PresenceService presence;

	PresenceController(PresenceService presence) {
		this.presence = presence;
	}

	@GetMapping("/api/presence/{userId}")
	Map<String, Object> presence(@PathVariable String userId) {
		List<SessionInfo> sessions = this.presence.registry().sessionsOf(userId);
		return Map.of("userId", userId, "online", !sessions.isEmpty(), "sessions", sessions.size(), "nodes",
				sessions.stream().map(SessionInfo::nodeId).distinct().sorted().toList(), "transports",
				sessions.stream().map(SessionInfo::transport).distinct().sorted().toList());
	}

}
