package io.courier.examples.backend;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A backend behind Courier, in any language with an AMQP client; this one is Spring AMQP.
 * It binds its own durable queue to {@code courier.inbound}, so clients' SENDs to
 * {@code /app/echo.*} wait there while it is down, and answers each request at the reply
 * address Courier put in the request's headers.
 */
@SpringBootApplication
public class ExampleBackendApplication {

	public static void main(String[] args) {
		SpringApplication.run(ExampleBackendApplication.class, args);
	}

}
