package io.courier.admin;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page's layout needs: who is logged in, whether they may change things (role
 * OPERATOR), and "now" for ages and uptimes.
 */
@ControllerAdvice
class ConsoleModelAdvice {

	@ModelAttribute("operatorName")
	@Nullable String operatorName(@Nullable Authentication authentication) {
		return (authentication != null) ? authentication.getName() : null;
	}

	@ModelAttribute("canOperate")
	boolean canOperate(@Nullable Authentication authentication) {
		return authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch((authority) -> "ROLE_OPERATOR".equals(authority.getAuthority()));
	}

	@ModelAttribute("now")
	Instant now() {
		return Instant.now();
	}

}
