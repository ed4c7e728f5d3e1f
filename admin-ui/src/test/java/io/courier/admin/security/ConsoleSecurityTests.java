package io.courier.admin.security;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.courier.admin.limits.LimitsStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who may do what in the console: login against the configured operators (the dev
 * profile's bcrypt accounts), the roles, CSRF, headers, form validation. The whole
 * application against the real broker, requests through MockMvc.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("dev")
class ConsoleSecurityTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	LimitsStore limits;

	@DynamicPropertySource
	static void auditFile(DynamicPropertyRegistry registry) throws Exception {
		Path audit = Files.createTempDirectory("courier-console-audit").resolve("audit.log");
		registry.add("courier.admin.audit.file", audit::toString);
	}

	@Test
	void anonymousVisitorIsSentToTheLoginForm() throws Exception {
		this.mvc.perform(get("/connections")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
		this.mvc.perform(get("/live")).andExpect(status().isFound());
		this.mvc.perform(get("/login")).andExpect(status().isOk());
	}

	@Test
	void operatorLogsInWithTheConfiguredPassword() throws Exception {
		this.mvc.perform(formLogin().user("operator").password("courier-operator"))
			.andExpect(authenticated().withRoles("OPERATOR"))
			.andExpect(redirectedUrl("/"));
	}

	@Test
	void wrongPasswordIsRefused() throws Exception {
		this.mvc.perform(formLogin().user("operator").password("courier-viewer"))
			.andExpect(unauthenticated())
			.andExpect(redirectedUrl("/login?error"));
	}

	@Test
	void loginWithoutCsrfTokenIsRefused() throws Exception {
		this.mvc.perform(post("/login").param("username", "operator").param("password", "courier-operator"))
			.andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(username = "victor", roles = "VIEWER")
	void viewerSeesThePagesButMayNotChangeAnything() throws Exception {
		this.mvc.perform(get("/limits"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Only an OPERATOR can change limits.")));
		this.mvc.perform(get("/connections/disconnect").param("user", "alice")).andExpect(status().isForbidden());
		this.mvc.perform(post("/connections/disconnect").param("user", "alice").with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(post("/limits/global").with(csrf())
				.param("frameRate", "1")
				.param("frameBurst", "1")
				.param("sessionsPerUser", "1")
				.param("handshakeRate", "1")
				.param("handshakeBurst", "1")
				.param("version", "0"))
			.andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(username = "olga", roles = "OPERATOR")
	void operatorFormsNeedTheCsrfToken() throws Exception {
		this.mvc.perform(post("/connections/disconnect").param("user", "alice")).andExpect(status().isForbidden());
		this.mvc.perform(post("/limits/overrides/delete").param("user", "alice").param("version", "0"))
			.andExpect(status().isForbidden());
	}

	@Test
	@WithMockUser(username = "olga", roles = "OPERATOR")
	void invalidLimitsAreRefusedWithTheReasonAndNotPublished() throws Exception {
		long before = this.limits.current().version();
		// the contract's rule (LimitsDocument.Rate), as the gateways apply it: 0.05
		// frames/s is refused
		this.mvc
			.perform(post("/limits/global").with(csrf())
				.param("frameRate", "0.05")
				.param("frameBurst", "100")
				.param("sessionsPerUser", "20")
				.param("handshakeRate", "20")
				.param("handshakeBurst", "100001")
				.param("version", String.valueOf(before)))
			.andExpect(status().isOk())
			.andExpect(
					content().string(org.hamcrest.Matchers.containsString("frameRate: must be between 0.1 and 10000")))
			.andExpect(content()
				.string(org.hamcrest.Matchers.containsString("handshakeBurst: must be between 1 and 100000")))
			.andExpect(content().string(org.hamcrest.Matchers
				.containsString("<input type=\"number\" step=\"0.1\" min=\"0.1\" max=\"10000\" name=\"frameRate\"")));
		this.mvc.perform(
				post("/limits/overrides").with(csrf()).param("user", "bob").param("version", String.valueOf(before)))
			.andExpect(content().string(org.hamcrest.Matchers
				.containsString("set at least one of frame rate, frame burst, sessions per user")));
		this.mvc
			.perform(post("/limits/overrides").with(csrf())
				.param("user", "<script>")
				.param("sessionsPerUser", "2")
				.param("version", String.valueOf(before)))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("letters, digits and @ . _ : - only")));
		assertThat(this.limits.current().version()).isEqualTo(before);
	}

	@Test
	@WithMockUser(username = "olga", roles = "OPERATOR")
	void pagesCarrySecureHeadersAndNoInlineScript() throws Exception {
		String page = this.mvc.perform(get("/"))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Security-Policy",
					org.hamcrest.Matchers.containsString("script-src 'self'")))
			.andExpect(header().string("X-Frame-Options", "DENY"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(header().string("Referrer-Policy", "same-origin"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("<script src=\"/console/live.js\" defer></script>").doesNotContain("<script>");
	}

}
