/**
 * The wire contract between the gateway nodes, the admin console and any other program on
 * RabbitMQ: the JSON messages of the {@code courier.cluster} topic exchange and the
 * {@code courier.limits} stream, as records, with the Bean Validation constraints both
 * sides enforce. One definition, used by the gateway and the console; described in
 * docs/WIRE-CONTRACT.md.
 *
 * <p>
 * Compatibility: fields are added, never renamed or removed; every record ignores fields
 * it does not know, so an older reader takes a newer writer's message. A
 * {@code @Nullable} component may be absent on the wire.
 */
@NullMarked
package io.courier.contract;

import org.jspecify.annotations.NullMarked;
