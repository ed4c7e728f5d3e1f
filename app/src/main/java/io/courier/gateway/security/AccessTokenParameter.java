package io.courier.gateway.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The RFC 6750 {@code access_token} query parameter, for browsers' {@code EventSource},
 * which cannot set headers: accepted on {@code /sse} only, and never visible to logging.
 * The filter runs before Spring Security; it takes the parameter out of the request that
 * everything after it sees (query string, parameters, so also Spring's request logging
 * and Spring Security's debug log of the request line) and, on {@code /sse} only, keeps
 * the token in a request attribute for the {@link #resolver() resolver}. Jetty's access
 * log reads the raw request: Courier's default access-log format
 * ({@code server.jetty.accesslog.custom-format}) leaves the query string out.
 */
final class AccessTokenParameter extends OncePerRequestFilter {

	static final String PARAMETER = "access_token";

	static final String ATTRIBUTE = AccessTokenParameter.class.getName() + ".token";

	private static final String MULTIPLE = "";

	private final String path;

	AccessTokenParameter(String path) {
		this.path = path;
	}

	/**
	 * The bearer header, or on the accepted path the query parameter; both at once is an
	 * invalid request.
	 */
	static BearerTokenResolver resolver() {
		DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
		return (request) -> {
			String fromHeader = header.resolve(request);
			Object fromQuery = request.getAttribute(ATTRIBUTE);
			if (fromQuery == null) {
				return fromHeader;
			}
			if (fromHeader != null || MULTIPLE.equals(fromQuery)) {
				throw new OAuth2AuthenticationException(
						BearerTokenErrors.invalidRequest("Found multiple bearer tokens in the request"));
			}
			return (String) fromQuery;
		};
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query == null || !query.contains(PARAMETER + "=")) {
			chain.doFilter(request, response);
			return;
		}
		List<String> kept = new ArrayList<>();
		List<String> tokens = new ArrayList<>();
		for (String pair : query.split("&")) {
			if (pair.startsWith(PARAMETER + "=")) {
				tokens.add(URLDecoder.decode(pair.substring(PARAMETER.length() + 1), StandardCharsets.UTF_8));
			}
			else {
				kept.add(pair);
			}
		}
		if (request.getRequestURI().equals(request.getContextPath() + this.path)) {
			request.setAttribute(ATTRIBUTE, (tokens.size() == 1) ? tokens.get(0) : MULTIPLE);
		}
		chain.doFilter(new Stripped(request, kept.isEmpty() ? null : String.join("&", kept)), response);
	}

	/** The request without the parameter. */
	private static final class Stripped extends HttpServletRequestWrapper {

		private final @Nullable String query;

		Stripped(HttpServletRequest request, @Nullable String query) {
			super(request);
			this.query = query;
		}

		@Override
		public @Nullable String getQueryString() {
			return this.query;
		}

		@Override
		public @Nullable String getParameter(String name) {
			return PARAMETER.equals(name) ? null : super.getParameter(name);
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			return PARAMETER.equals(name) ? null : super.getParameterValues(name);
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			Map<String, String[]> parameters = new LinkedHashMap<>(super.getParameterMap());
			parameters.remove(PARAMETER);
			return Collections.unmodifiableMap(parameters);
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(getParameterMap().keySet());
		}

	}

}
