package io.courier.admin.cluster;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * What the nodes answered to one {@code control.*} request within the timeout.
 *
 * @param replies the replies (each has {@code nodeId})
 * @param missing nodes the console expected an answer from that did not answer in time
 */
public record ControlReplies(List<JsonNode> replies, List<String> missing) {
}
