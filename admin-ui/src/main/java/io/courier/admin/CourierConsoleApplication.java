package io.courier.admin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Courier's admin console: a separate application for operators that sees the whole
 * cluster through RabbitMQ (the {@code courier.cluster} exchange and the management HTTP
 * API), never through one gateway's memory.
 *
 * <p>
 * {@code java -jar courier-admin-ui.jar hash-password <password>} prints a bcrypt hash
 * for {@code courier.admin.operators[n].password-hash} and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CourierConsoleApplication {

	public static void main(String[] args) {
		if (args.length == 2 && "hash-password".equals(args[0])) {
			System.out.println(new BCryptPasswordEncoder().encode(args[1]));
			return;
		}
		SpringApplication.run(CourierConsoleApplication.class, args);
	}

}
