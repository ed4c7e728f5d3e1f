package io.courier.bench;

/**
 * Where the sessions connect: the Courier gateway, RabbitMQ Web-STOMP directly, or the
 * in-process floor server.
 */
enum Target {

	COURIER, DIRECT, FLOOR;

	String label() {
		return name().toLowerCase();
	}

}
