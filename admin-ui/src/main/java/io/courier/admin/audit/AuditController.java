package io.courier.admin.audit;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /audit}: every change operators made, newest first. */
@Controller
class AuditController {

	private final AuditLog audit;

	AuditController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping("/audit")
	String audit(Model model) {
		model.addAttribute("entries", this.audit.entries());
		return "audit";
	}

}
