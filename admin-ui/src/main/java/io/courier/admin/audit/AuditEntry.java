package io.courier.admin.audit;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One change an operator made.
 *
 * @param at when
 * @param operator who
 * @param action {@code disconnect-session}, {@code disconnect-user},
 * {@code limits-changed}
 * @param target what (a session id, a user, a limits version)
 * @param outcome what happened (sessions closed, nodes that did not answer, the new
 * values)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditEntry(Instant at, String operator, String action, String target, String outcome) {
}
