package com.cameloauth.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The last hour of API call outcomes per connection, by minute and status class, moved along by the clock. */
class ApiCallHistoryTest {
    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T12:00:10Z"));
    private final ApiCallHistory history = new ApiCallHistory(clock);

    @Test
    void countsCallsPerMinuteByStatusClass() {
        history.apiCall("orders", 200);
        history.apiCall("orders", 204);
        history.apiCall("orders", 401);
        clock.advance(Duration.ofSeconds(60));
        history.apiCall("orders", 503);
        history.apiCall("orders", 0);
        history.apiCall("orders", 302);
        history.apiCall("shipping", 200);

        assertEquals(List.of(
                new ApiCallHistory.Minute(Instant.parse("2026-01-01T12:00:00Z"), 2, 0, 1, 0, 0),
                new ApiCallHistory.Minute(Instant.parse("2026-01-01T12:01:00Z"), 0, 1, 0, 1, 1)), history.lastHour("orders"));
        assertEquals(1, history.lastHour("shipping").get(0).total());
        assertEquals(List.of(), history.lastHour("unknown"));
    }

    @Test
    void forgetsMinutesOlderThanAnHourAndReusesTheirSlots() {
        history.apiCall("orders", 200);
        clock.advance(Duration.ofMinutes(59));
        history.apiCall("orders", 500);
        assertEquals(2, history.lastHour("orders").size(), "12:00 is still inside the hour at 12:59");

        clock.advance(Duration.ofMinutes(1));
        assertEquals(List.of(new ApiCallHistory.Minute(Instant.parse("2026-01-01T12:59:00Z"), 0, 0, 0, 1, 0)),
                history.lastHour("orders"), "at 13:00 the 12:00 minute is gone");

        history.apiCall("orders", 404); // 13:00 takes the slot 12:00 had: its old counts must not come back
        assertEquals(new ApiCallHistory.Minute(Instant.parse("2026-01-01T13:00:00Z"), 0, 0, 1, 0, 0),
                history.lastHour("orders").get(1));
    }

    @Test
    void aDayLaterNothingIsLeft() {
        history.apiCall("orders", 200);
        clock.advance(Duration.ofDays(1));
        assertEquals(List.of(), history.lastHour("orders"));
    }

    @Test
    void allCallsEveryRecorder() {
        ApiCallHistory other = new ApiCallHistory(clock);
        ApiCallRecorder.all(List.of(history, other)).apiCall("orders", 200);
        assertEquals(1, history.lastHour("orders").size());
        assertEquals(1, other.lastHour("orders").size());
        assertEquals(ApiCallRecorder.NONE, ApiCallRecorder.all(List.of()));
    }
}
