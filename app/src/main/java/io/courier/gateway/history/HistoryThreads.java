package io.courier.gateway.history;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The few threads history uses, whatever the number of subscribers: a scheduler (consumer
 * retries, readiness, resets of subscribers ahead of the stream) and replay readers (one
 * short stream read per resuming subscriber not covered by the recent window, or per
 * unknown latest-event lookup). Held here rather than exposed as beans, so that Spring
 * Boot's own executor and scheduler are not replaced.
 */
@Component
class HistoryThreads implements DisposableBean {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final ThreadPoolTaskExecutor replays = new ThreadPoolTaskExecutor();

	HistoryThreads() {
		this.scheduler.setPoolSize(1);
		this.scheduler.setThreadNamePrefix("courier-history-scheduler-");
		this.scheduler.initialize();
		this.replays.setCorePoolSize(2);
		this.replays.setMaxPoolSize(4);
		this.replays.setQueueCapacity(10_000);
		this.replays.setThreadNamePrefix("courier-history-replay-");
		this.replays.initialize();
	}

	ThreadPoolTaskScheduler scheduler() {
		return this.scheduler;
	}

	ThreadPoolTaskExecutor replays() {
		return this.replays;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdown();
		this.replays.shutdown();
	}

}
