package io.courier.gateway.history;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatestEventsTests {

	private static HistoryEvent event(long id, String destination) {
		return new HistoryEvent(id, destination, null, "e" + id, "text/plain");
	}

	@Test
	void aLiveEventIsItsKeysLatestAndALookupNeverOverwritesIt() {
		LatestEvents latest = new LatestEvents(10);
		assertThat(latest.get("/topic/a")).as("unknown: look it up").isNull();
		latest.live(event(5, "/topic/a"));
		latest.live(event(7, "/topic/a"));
		latest.looked("/topic/a", event(3, "/topic/a"));
		assertThat(latest.get("/topic/a")).contains(event(7, "/topic/a"));
	}

	@Test
	void aLookupThatFoundNothingIsKeptAsNoneUntilALiveEvent() {
		LatestEvents latest = new LatestEvents(10);
		latest.looked("/topic/b", null);
		assertThat(latest.get("/topic/b")).isEqualTo(Optional.empty());
		latest.live(event(9, "/topic/b"));
		assertThat(latest.get("/topic/b")).contains(event(9, "/topic/b"));
	}

	@Test
	void theLeastRecentlyUsedKeyGoesWhenFull() {
		LatestEvents latest = new LatestEvents(2);
		latest.live(event(1, "/topic/a"));
		latest.live(event(2, "/topic/b"));
		latest.get("/topic/a");
		latest.live(event(3, "/topic/c"));
		assertThat(latest.get("/topic/b")).isNull();
		assertThat(latest.get("/topic/a")).isPresent();
		assertThat(latest.size()).isEqualTo(2);
		latest.clear();
		assertThat(latest.get("/topic/a")).isNull();
	}

}
