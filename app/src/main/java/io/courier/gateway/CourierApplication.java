package io.courier.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Courier gateway: STOMP over WebSocket at {@code /ws} and {@code /sockjs},
 * authenticated with a JWT on CONNECT, authorized per destination, relayed to RabbitMQ's
 * STOMP plugin.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CourierApplication {

	public static void main(String[] args) {
		SpringApplication.run(CourierApplication.class, args);
	}

}
