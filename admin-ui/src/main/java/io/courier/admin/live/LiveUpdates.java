package io.courier.admin.live;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events from the console to open pages. State changes are reported by topic
 * ({@code nodes}, {@code sessions}, {@code presence}, {@code limits}, {@code broker},
 * {@code audit}) and sent at most once a second as one event {@code change} whose data
 * lists the topics; {@code console/live.js} then reloads the page's live fragments. A
 * comment every 15 s keeps idle connections open and finds closed ones.
 */
@Component
public class LiveUpdates {

	public static final String LIMITS = "limits";

	public static final String BROKER = "broker";

	public static final String AUDIT = "audit";

	private static final Duration EMITTER_TIMEOUT = Duration.ofMinutes(30);

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	private final Set<String> pending = new TreeSet<>();

	public void changed(String topic) {
		synchronized (this.pending) {
			this.pending.add(topic);
		}
	}

	SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(EMITTER_TIMEOUT.toMillis());
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(emitter::complete);
		emitter.onError((ex) -> this.emitters.remove(emitter));
		this.emitters.add(emitter);
		return emitter;
	}

	int subscribers() {
		return this.emitters.size();
	}

	@Scheduled(fixedDelay = 1000)
	void flush() {
		String topics;
		synchronized (this.pending) {
			if (this.pending.isEmpty()) {
				return;
			}
			topics = String.join(" ", this.pending);
			this.pending.clear();
		}
		send(SseEmitter.event().name("change").data(topics));
	}

	@Scheduled(fixedDelay = 15000)
	void keepAlive() {
		send(SseEmitter.event().comment("keep-alive"));
	}

	/**
	 * Ends the open streams before the graceful shutdown, which would otherwise wait for
	 * them.
	 */
	@EventListener
	void onClose(ContextClosedEvent event) {
		this.emitters.forEach(SseEmitter::complete);
		this.emitters.clear();
	}

	private void send(SseEmitter.SseEventBuilder event) {
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(event);
			}
			catch (IOException | IllegalStateException ex) {
				this.emitters.remove(emitter);
			}
		}
	}

}
