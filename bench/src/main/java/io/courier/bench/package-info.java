/**
 * Courier's benchmark tool (issue #6): STOMP-over-WebSocket load generation against the
 * Courier gateway, RabbitMQ Web-STOMP directly and a broker-less floor server, with
 * latency, loss/duplicate/out-of-order, CPU and memory accounting. Entry point:
 * {@link io.courier.bench.BenchApplication}.
 */
package io.courier.bench;
