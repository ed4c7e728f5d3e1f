package io.courier.admin.security;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The console's HTTP security: form login against the configured operators, OPERATOR for
 * every change (POST under {@code /connections} and {@code /limits}, and the confirmation
 * pages), VIEWER for the rest; CSRF on every form (Spring's default, kept); a content
 * security policy that allows scripts and styles from the console only, so no inline
 * script can run.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	@Bean
	SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/login", "/console/**", "/favicon.ico", "/error")
					.permitAll()
					.requestMatchers(HttpMethod.POST, "/connections/**", "/limits/**")
					.hasRole(OperatorProperties.Role.OPERATOR.name())
					.requestMatchers("/connections/disconnect")
					.hasRole(OperatorProperties.Role.OPERATOR.name())
					.anyRequest()
					.hasRole(OperatorProperties.Role.VIEWER.name()))
			.formLogin((login) -> login.loginPage("/login").defaultSuccessUrl("/", true).permitAll())
			.logout((logout) -> logout.logoutSuccessUrl("/login?logout"))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
				.frameOptions((frames) -> frames.deny()));
		return http.build();
	}

	/** An OPERATOR may do everything a VIEWER may. */
	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.withDefaultRolePrefix()
			.role(OperatorProperties.Role.OPERATOR.name())
			.implies(OperatorProperties.Role.VIEWER.name())
			.build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return new BCryptPasswordEncoder();
	}

	@Bean
	InMemoryUserDetailsManager operators(OperatorProperties properties) {
		List<UserDetails> users = properties.operators()
			.stream()
			.map((operator) -> User.withUsername(operator.username())
				.password(operator.passwordHash())
				.roles(operator.role().name())
				.build())
			.toList();
		return new InMemoryUserDetailsManager(users);
	}

}
