/**
 * Server-sent events ({@code GET /sse}) and long polling ({@code GET /poll}) on the same
 * destinations as STOMP, with event ids that are offsets of the {@code courier.history}
 * stream (the {@code history} package), so that a client resumes on any node.
 */
@NullMarked
package io.courier.gateway.sse;

import org.jspecify.annotations.NullMarked;
