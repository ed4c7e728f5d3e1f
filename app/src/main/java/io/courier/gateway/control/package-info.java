/**
 * The admin console's requests to every node ({@code control.*} on
 * {@code courier.cluster}): list this node's sessions, disconnect a user's or one
 * session, and the details of a session the console shows.
 */
@NullMarked
package io.courier.gateway.control;

import org.jspecify.annotations.NullMarked;
