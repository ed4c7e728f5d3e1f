package io.courier.admin.connections;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The Connections page's filters; blank = no filter. User, node and transport match
 * exactly, the remote address by prefix (as in the {@code control.sessions} request).
 */
public record SessionFilter(@Nullable String user, @Nullable String nodeId, @Nullable String transport,
		@Nullable String remoteAddress) {

	public SessionFilter {
		user = blankToNull(user);
		nodeId = blankToNull(nodeId);
		transport = blankToNull(transport);
		remoteAddress = blankToNull(remoteAddress);
	}

	/** The body of a {@code control.sessions} request (JSON nulls for absent filters). */
	Map<String, @Nullable Object> request() {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("user", this.user);
		body.put("nodeId", this.nodeId);
		body.put("transport", this.transport);
		body.put("remoteAddress", this.remoteAddress);
		return body;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
