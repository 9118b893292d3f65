package com.cameloauth.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API call outcomes of each connection over the last hour, counted per minute by status class: what the
 * connections page's timeline shows next to the token events. Bounded: 60 minute slots per connection, reused as time
 * moves on (by the given {@link Clock}), so memory does not grow with traffic.
 */
public final class ApiCallHistory implements ApiCallRecorder {
    /** How far back the history reaches. */
    public static final Duration WINDOW = Duration.ofHours(1);
    private static final int SLOTS = (int) WINDOW.toMinutes();

    private final Clock clock;
    private final Map<String, Slots> connections = new ConcurrentHashMap<>();

    public ApiCallHistory(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void apiCall(String connection, int status) {
        connections.computeIfAbsent(connection, n -> new Slots()).add(minuteOf(clock.instant()), status);
    }

    /** The clock's current time: the end of the window {@link #lastHour} reports. */
    public Instant now() {
        return clock.instant();
    }

    /** The minutes of the last hour (the current one included) in which the connection had calls, oldest first. */
    public List<Minute> lastHour(String connection) {
        Slots slots = connections.get(connection);
        return slots == null ? List.of() : slots.since(minuteOf(clock.instant()) - SLOTS + 1);
    }

    private static long minuteOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), 60);
    }

    /**
     * The calls of one minute by status class.
     *
     * @param start    the minute's first instant
     * @param ok       2xx answers
     * @param redirect 3xx answers
     * @param client   4xx answers (a 401 before a replay included)
     * @param server   5xx answers
     * @param noAnswer calls that got no answer (connect error, timeout)
     */
    public record Minute(Instant start, long ok, long redirect, long client, long server, long noAnswer) {
        public long total() {
            return ok + redirect + client + server + noAnswer;
        }
    }

    /** One connection's 60 slots; a slot is reset when a call of a later minute reuses it. */
    private static final class Slots {
        private final long[] minute = new long[SLOTS];
        private final long[][] counts = new long[SLOTS][5];

        Slots() {
            java.util.Arrays.fill(minute, Long.MIN_VALUE);
        }

        synchronized void add(long now, int status) {
            int slot = (int) Math.floorMod(now, (long) SLOTS);
            if (minute[slot] != now) {
                minute[slot] = now;
                java.util.Arrays.fill(counts[slot], 0);
            }
            counts[slot][column(status)]++;
        }

        synchronized List<Minute> since(long first) {
            List<Minute> minutes = new ArrayList<>();
            for (long m = first; m < first + SLOTS; m++) {
                int slot = (int) Math.floorMod(m, (long) SLOTS);
                if (minute[slot] == m) {
                    long[] c = counts[slot];
                    minutes.add(new Minute(Instant.ofEpochSecond(m * 60), c[0], c[1], c[2], c[3], c[4]));
                }
            }
            return List.copyOf(minutes);
        }

        private static int column(int status) {
            return switch (ApiCallRecorder.statusClass(status)) {
                case "2xx" -> 0;
                case "3xx" -> 1;
                case "4xx" -> 2;
                case "5xx" -> 3;
                default -> 4; // 1xx never ends a call; "error" is no answer
            };
        }
    }
}
