package io.courier.admin.presence;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.courier.admin.cluster.ClusterView;

/**
 * Presence: users online with their session counts, one user looked up, recent
 * online/offline changes.
 */
@Controller
class PresenceController {

	private final ClusterView cluster;

	PresenceController(ClusterView cluster) {
		this.cluster = cluster;
	}

	@GetMapping("/presence")
	String presence(@RequestParam(required = false) @Nullable String user, Model model) {
		model.addAttribute("online", this.cluster.online());
		model.addAttribute("changes", this.cluster.presenceChanges().stream().limit(50).toList());
		if (user != null && !user.isBlank()) {
			model.addAttribute("user", user.trim());
			model.addAttribute("userSessions", this.cluster.sessionsOf(user.trim()));
		}
		return "presence";
	}

}
