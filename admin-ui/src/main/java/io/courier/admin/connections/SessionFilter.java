package io.courier.admin.connections;

import org.jspecify.annotations.Nullable;

import io.courier.contract.Control.SessionsRequest;

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
	SessionsRequest request() {
		return new SessionsRequest(this.user, this.nodeId, this.transport, this.remoteAddress);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

}
