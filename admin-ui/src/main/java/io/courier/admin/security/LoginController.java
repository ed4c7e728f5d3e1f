package io.courier.admin.security;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form (Spring Security processes its POST). */
@Controller
class LoginController {

	@GetMapping("/login")
	String login() {
		return "login";
	}

}
