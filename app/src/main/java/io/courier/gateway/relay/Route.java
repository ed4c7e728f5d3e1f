package io.courier.gateway.relay;

/**
 * What a broker subscription's MESSAGEs go to: a {@link Topic} (the node's one
 * subscription to a destination, without node queues), a {@link Dedicated} client
 * subscription, or a {@link NodeQueueRoute} (one of the node's queues, whose MESSAGEs go
 * to the topic their destination names).
 */
sealed interface Route permits Topic, Dedicated, NodeQueueRoute {

}
