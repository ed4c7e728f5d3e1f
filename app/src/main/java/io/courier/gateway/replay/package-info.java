/**
 * STOMP subscriptions served from the history stream rather than through the relay: a
 * SUBSCRIBE with {@code courier-last: 1} gets the destination's latest retained message
 * first, marked {@code courier-retained: true}, one with {@code courier-since: <id>} what
 * it missed after that id; then live messages, each with its history id in
 * {@code courier-id}.
 */
@NullMarked
package io.courier.gateway.replay;

import org.jspecify.annotations.NullMarked;
