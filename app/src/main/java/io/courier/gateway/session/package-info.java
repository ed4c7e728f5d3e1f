/**
 * Client sessions of every transport: the node's registry of local sessions, their
 * attributes, ending a session (with the reason the client reads), and the error contract
 * every transport shares ({@link io.courier.gateway.session.ClientError},
 * {@link io.courier.gateway.session.ClientRejection}).
 */
@NullMarked
package io.courier.gateway.session;

import org.jspecify.annotations.NullMarked;
