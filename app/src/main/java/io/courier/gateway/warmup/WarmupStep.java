package io.courier.gateway.warmup;

import java.time.Instant;
import java.util.Map;

/**
 * One part of the node's warm-up, a bean: {@link Warmup} runs every step in their order
 * before readiness turns UP. A step does real work through the code it warms (nothing
 * faked, nothing sent to other hosts than the node's own broker, nothing a user can see)
 * and returns by {@code deadline}.
 */
public interface WarmupStep {

	/** A short name, for the log and the health details. */
	String name();

	/**
	 * Does the work until it is done or {@code deadline} has passed.
	 * @return what it did (counts), for the log and the health details
	 */
	Map<String, Object> run(Instant deadline) throws Exception;

}
