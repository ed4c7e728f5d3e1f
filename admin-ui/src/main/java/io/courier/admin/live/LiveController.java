package io.courier.admin.live;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /live}: the event stream that {@code console/live.js} listens to. */
@RestController
class LiveController {

	private final LiveUpdates live;

	LiveController(LiveUpdates live) {
		this.live = live;
	}

	@GetMapping(path = "/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter live() {
		return this.live.subscribe();
	}

}
