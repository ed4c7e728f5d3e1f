package io.courier.gateway.presence;

/** The cluster-wide presence view, for other features (limits, console). */
public interface Presence {

	/** Sessions of {@code user} on all nodes, as this node knows them now. */
	int sessionCount(String user);

}
