package io.courier.admin.connections;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.courier.admin.audit.AuditLog;

import static org.springframework.http.HttpStatus.BAD_REQUEST;
import static org.springframework.http.HttpStatus.NOT_FOUND;

/**
 * Connections: every session in the cluster (paged, filtered), one session's detail, and
 * disconnecting a session or all sessions of a user: a confirmation page (works without
 * scripts), then the POST, recorded in the audit log.
 */
@Controller
class ConnectionsController {

	static final int PAGE_SIZE = 50;

	private final ClusterSessions sessions;

	private final AuditLog audit;

	ConnectionsController(ClusterSessions sessions, AuditLog audit) {
		this.sessions = sessions;
		this.audit = audit;
	}

	@GetMapping("/connections")
	String list(@RequestParam(required = false) @Nullable String user,
			@RequestParam(required = false) @Nullable String node,
			@RequestParam(required = false) @Nullable String transport,
			@RequestParam(required = false) @Nullable String remote, @RequestParam(defaultValue = "0") int page,
			Model model) {
		SessionFilter filter = new SessionFilter(user, node, transport, remote);
		ClusterSessions.SessionList list = this.sessions.list(filter);
		int total = list.sessions().size();
		int pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
		int current = Math.min(Math.max(page, 0), pages - 1);
		List<SessionRow> rows = list.sessions()
			.subList(current * PAGE_SIZE, Math.min(total, (current + 1) * PAGE_SIZE));
		model.addAttribute("filter", filter);
		model.addAttribute("rows", rows);
		model.addAttribute("total", total);
		model.addAttribute("page", current);
		model.addAttribute("pages", pages);
		model.addAttribute("missing", list.missing());
		model.addAttribute("audit", this.audit.entries().stream().limit(10).toList());
		return "connections";
	}

	@GetMapping("/connections/{sessionId}")
	String detail(@PathVariable String sessionId, Model model) {
		ClusterSessions.SessionDetailView detail = this.sessions.detail(sessionId);
		if (detail == null) {
			throw new ResponseStatusException(NOT_FOUND, "no session " + sessionId + " in the cluster");
		}
		model.addAttribute("session", detail.session());
		model.addAttribute("missing", detail.missing());
		return "session";
	}

	@GetMapping("/connections/disconnect")
	String confirm(@RequestParam(required = false) @Nullable String session,
			@RequestParam(required = false) @Nullable String user, Model model) {
		target(session, user);
		model.addAttribute("targetSession", session);
		model.addAttribute("targetUser", user);
		return "disconnect";
	}

	@PostMapping("/connections/disconnect")
	String disconnect(@RequestParam(required = false) @Nullable String session,
			@RequestParam(required = false) @Nullable String user, Authentication operator,
			RedirectAttributes redirect) {
		Map<String, String> target = target(session, user);
		ClusterSessions.Disconnected result = this.sessions.disconnect(target.get("sessionId"), target.get("user"),
				operator.getName());
		String what = (session != null) ? "session " + session : "user " + user;
		this.audit.record(operator.getName(), (session != null) ? "disconnect-session" : "disconnect-user", what,
				result.describe());
		redirect.addFlashAttribute("message", "Disconnected " + what + ": " + result.describe());
		return "redirect:/connections";
	}

	private static Map<String, String> target(@Nullable String session, @Nullable String user) {
		if (session != null && !session.isBlank() && (user == null || user.isBlank())) {
			return Map.of("sessionId", session);
		}
		if (user != null && !user.isBlank() && (session == null || session.isBlank())) {
			return Map.of("user", user);
		}
		throw new ResponseStatusException(BAD_REQUEST, "name either a session or a user");
	}

}
