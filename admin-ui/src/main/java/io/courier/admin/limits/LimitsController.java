package io.courier.admin.limits;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.courier.admin.audit.AuditLog;
import io.courier.admin.cluster.ClusterView;
import io.courier.contract.LimitHit;
import io.courier.contract.LimitsDocument;
import io.courier.contract.LimitsDocument.Limits;
import io.courier.contract.LimitsDocument.UserLimits;

/**
 * Rate limits: the document in force (global limits and per-user overrides), editing it
 * (validated, published as the next version on {@code courier.cluster}, audited), and the
 * recent limit hits and slow-consumer disconnects.
 */
@Controller
class LimitsController {

	/**
	 * The contract's bounds, as the forms' min and max (the constraints check them again
	 * on submit).
	 */
	private static final Map<String, Object> BOUNDS = Map.of("rateMin", LimitsDocument.RATE_MIN, "rateMax",
			LimitsDocument.RATE_MAX, "burstMax", LimitsDocument.BURST_MAX, "sessionsPerUserMax",
			LimitsDocument.SESSIONS_PER_USER_MAX);

	private final LimitsStore store;

	private final ClusterView cluster;

	private final AuditLog audit;

	LimitsController(LimitsStore store, ClusterView cluster, AuditLog audit) {
		this.store = store;
		this.cluster = cluster;
		this.audit = audit;
	}

	@GetMapping("/limits")
	String limits(Model model) {
		LimitsDocument current = this.store.current();
		model.addAttribute("document", current);
		model.addAttribute("bounds", BOUNDS);
		if (!model.containsAttribute("globalForm")) {
			model.addAttribute("globalForm", GlobalLimitsForm.of(current));
		}
		if (!model.containsAttribute("overrideForm")) {
			model.addAttribute("overrideForm", new OverrideForm(null, null, null, null, current.version()));
		}
		model.addAttribute("hits",
				this.cluster.limitHits()
					.stream()
					.filter((LimitHit hit) -> !LimitHit.SLOW_CONSUMER.equals(hit.limit()))
					.limit(50)
					.toList());
		model.addAttribute("slowConsumers",
				this.cluster.limitHits()
					.stream()
					.filter((LimitHit hit) -> LimitHit.SLOW_CONSUMER.equals(hit.limit()))
					.limit(50)
					.toList());
		model.addAttribute("audit",
				this.audit.entries()
					.stream()
					.filter((entry) -> entry.action().startsWith("limits"))
					.limit(10)
					.toList());
		return "limits";
	}

	@PostMapping("/limits/global")
	String global(@Valid @ModelAttribute("globalForm") GlobalLimitsForm form, BindingResult errors,
			Authentication operator, Model model, RedirectAttributes redirect) {
		if (errors.hasErrors()) {
			return invalid(model, errors);
		}
		return change(form.version(),
				(current) -> new Change(form.limits(), current.overrides(), "global limits " + describe(form.limits())),
				operator, model, redirect);
	}

	@PostMapping("/limits/overrides")
	String override(@Valid @ModelAttribute("overrideForm") OverrideForm form, BindingResult errors,
			Authentication operator, Model model, RedirectAttributes redirect) {
		if (errors.hasErrors() || form.user() == null) {
			return invalid(model, errors);
		}
		String user = form.user();
		return change(form.version(), (current) -> {
			Map<String, UserLimits> overrides = new TreeMap<>(current.overrides());
			overrides.put(user, form.override());
			return new Change(current.limits(), overrides, "override for " + user + " " + describe(form.override()));
		}, operator, model, redirect);
	}

	@PostMapping("/limits/overrides/delete")
	String deleteOverride(@RequestParam String user, @RequestParam long version, Authentication operator, Model model,
			RedirectAttributes redirect) {
		return change(version, (current) -> {
			Map<String, UserLimits> overrides = new TreeMap<>(current.overrides());
			overrides.remove(user);
			return new Change(current.limits(), overrides, "override for " + user + " removed");
		}, operator, model, redirect);
	}

	private String change(long basedOn, Function<LimitsDocument, Change> change, Authentication operator, Model model,
			RedirectAttributes redirect) {
		LimitsDocument current = this.store.current();
		if (current.version() != basedOn) {
			model.addAttribute("error", "The limits changed meanwhile (now version " + current.version() + " by "
					+ current.changedBy() + "); review them and submit again.");
			model.addAttribute("globalForm", GlobalLimitsForm.of(current));
			return invalid(model);
		}
		Change next = change.apply(current);
		LimitsDocument document = new LimitsDocument(LimitsDocument.TYPE, current.version() + 1, Instant.now(),
				operator.getName(), next.limits(), next.overrides());
		try {
			this.store.publish(document);
		}
		catch (IllegalArgumentException ex) {
			model.addAttribute("error", "The gateways would refuse this change: " + ex.getMessage());
			return invalid(model);
		}
		catch (AmqpException ex) {
			model.addAttribute("error", "RabbitMQ did not take the change: " + ex.getMessage());
			return invalid(model);
		}
		this.audit.record(operator.getName(), "limits-changed", "version " + document.version(), next.summary());
		redirect.addFlashAttribute("message", "Published limits version " + document.version() + ": " + next.summary());
		return "redirect:/limits";
	}

	private String invalid(Model model) {
		limits(model);
		return "limits";
	}

	private String invalid(Model model, BindingResult errors) {
		model.addAttribute("formErrors",
				errors.getFieldErrors()
					.stream()
					.map((error) -> ("anySet".equals(error.getField()) ? "" : error.getField() + ": ")
							+ error.getDefaultMessage())
					.toList());
		return invalid(model);
	}

	private static String describe(Limits limits) {
		return "frame-rate " + limits.frameRate() + ", frame-burst " + limits.frameBurst() + ", sessions-per-user "
				+ limits.sessionsPerUser() + ", handshake-rate " + limits.handshakeRate() + ", handshake-burst "
				+ limits.handshakeBurst();
	}

	private static String describe(UserLimits override) {
		return "frame-rate " + orGlobal(override.frameRate()) + ", frame-burst " + orGlobal(override.frameBurst())
				+ ", sessions-per-user " + orGlobal(override.sessionsPerUser());
	}

	private static String orGlobal(@Nullable Object value) {
		return (value != null) ? value.toString() : "global";
	}

	/** A new document's content and what it changes, in words for the audit log. */
	private record Change(Limits limits, Map<String, UserLimits> overrides, String summary) {
	}

}
