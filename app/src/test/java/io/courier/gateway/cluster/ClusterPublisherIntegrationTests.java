package io.courier.gateway.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ChannelListener;
import org.springframework.beans.factory.annotation.Autowired;

import io.courier.gateway.support.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of cluster publishes from many threads (what a storm of connects or closes does
 * with presence) reuses a bounded set of AMQP channels. With Spring AMQP's default cache,
 * every publish beyond 25 concurrent ones opened and closed a channel of its own, and
 * RabbitMQ paid for each.
 */
class ClusterPublisherIntegrationTests extends GatewayIntegrationTest {

	private static final int THREADS = 150;

	private static final int PUBLISHES_PER_THREAD = 5;

	@Autowired
	private ClusterPublisher publisher;

	@Autowired
	private CachingConnectionFactory connectionFactory;

	@Test
	void aBurstFromManyThreadsOpensAtMostTheCachedChannels() throws Exception {
		AtomicInteger opened = new AtomicInteger();
		ChannelListener counter = (channel, transactional) -> opened.incrementAndGet();
		this.connectionFactory.addChannelListener(counter);
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < THREADS; i++) {
				results.add(threads.submit(() -> {
					start.await();
					boolean all = true;
					for (int n = 0; n < PUBLISHES_PER_THREAD; n++) {
						all &= this.publisher.publish("test.channel-burst", Map.of("n", n));
					}
					return all;
				}));
			}
			start.countDown();
			for (Future<Boolean> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).as("every publish taken by RabbitMQ").isTrue();
			}
		}
		finally {
			threads.shutdownNow(); // the listener stays (there is no remove): a counter,
									// harmless to other tests
		}
		assertThat(opened.get()).as("channels opened for %d publishes", THREADS * PUBLISHES_PER_THREAD)
			.isLessThanOrEqualTo(this.connectionFactory.getChannelCacheSize())
			.isLessThanOrEqualTo(64);
	}

}
