package io.courier.gateway.node;

import java.util.List;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every meter of the node (Courier's {@code courier.*} and Boot's JVM, HTTP, Jetty and
 * RabbitMQ client meters) carries {@code node=<courier.node-id>}, so that series from
 * several nodes scraped into one Prometheus stay apart and a meter cannot forget the tag.
 *
 * <p>
 * A filter rather than Boot's {@code management.metrics.tags.node}: the node id defaults
 * to the host name, worked out by {@link GatewayProperties}, which a property placeholder
 * cannot see, and one setting cannot then disagree with another. A meter's own
 * {@code node} tag, where one sets it, wins (it is the same value).
 */
@Configuration(proxyBeanMethods = false)
class NodeMetricsConfiguration {

	@Bean
	MeterFilter nodeTag(GatewayProperties properties) {
		return MeterFilter.commonTags(List.of(Tag.of("node", properties.nodeId())));
	}

}
