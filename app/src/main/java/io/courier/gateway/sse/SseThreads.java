package io.courier.gateway.sse;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The few threads SSE and polling use, whatever the number of clients: a scheduler
 * (keep-alives, token expiry, poll presence) and writers that drain SSE queues
 * (non-blocking writes, so they never wait on a client). History's own threads (stream
 * replays) are in the {@code history} package. Held here rather than exposed as beans, so
 * that Spring Boot's own executor and scheduler are not replaced.
 */
@Component
class SseThreads implements DisposableBean {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final ThreadPoolTaskExecutor writers = new ThreadPoolTaskExecutor();

	SseThreads() {
		this.scheduler.setPoolSize(1);
		this.scheduler.setThreadNamePrefix("courier-sse-scheduler-");
		this.scheduler.initialize();
		int cores = Runtime.getRuntime().availableProcessors();
		this.writers.setCorePoolSize(Math.max(2, cores));
		this.writers.setThreadNamePrefix("courier-sse-writer-");
		this.writers.initialize();
	}

	ThreadPoolTaskScheduler scheduler() {
		return this.scheduler;
	}

	ThreadPoolTaskExecutor writers() {
		return this.writers;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdown();
		this.writers.shutdown();
	}

}
