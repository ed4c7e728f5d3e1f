package io.courier.admin.cluster;

import java.util.List;

import io.courier.contract.Control.Reply;

/**
 * What the nodes answered to one {@code control.*} request within the timeout.
 *
 * @param replies the replies (each names its node)
 * @param missing nodes the console expected an answer from that did not answer in time
 */
public record ControlReplies(List<Reply> replies, List<String> missing) {
}
