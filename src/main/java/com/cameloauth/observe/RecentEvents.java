package com.cameloauth.observe;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenEventListener;

/**
 * The last events of each connection, in memory and bounded, with a count per event type since start: what the
 * management API and the connections page show. Events carry fingerprints, never tokens.
 */
public final class RecentEvents implements TokenEventListener {
    /** Events kept per connection when no capacity is given: more than an hour of the demo's 20 s tokens. */
    public static final int DEFAULT_CAPACITY = 200;

    private final int capacity;
    private final Map<String, Log> logs = new ConcurrentHashMap<>();

    public RecentEvents() {
        this(DEFAULT_CAPACITY);
    }

    public RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void onEvent(TokenEvent event) {
        logs.computeIfAbsent(event.connection(), n -> new Log()).add(event, capacity);
    }

    /** The kept events of a connection, newest first. */
    public List<TokenEvent> recent(String connection) {
        Log log = logs.get(connection);
        return log == null ? List.of() : log.newestFirst();
    }

    /** How many events of each type the connection had since start (not only the kept ones); every type present. */
    public Map<TokenEvent.Type, Long> counts(String connection) {
        Log log = logs.get(connection);
        Map<TokenEvent.Type, Long> counts = new EnumMap<>(TokenEvent.Type.class);
        for (TokenEvent.Type type : TokenEvent.Type.values()) {
            counts.put(type, 0L);
        }
        if (log != null) {
            counts.putAll(log.counts());
        }
        return counts;
    }

    /** When the connection last obtained a token (acquired or refreshed). */
    public Optional<Instant> lastTokenObtained(String connection) {
        Log log = logs.get(connection);
        return log == null ? Optional.empty() : Optional.ofNullable(log.lastObtained());
    }

    /** One connection's events; synchronized because events of a connection can come from several threads. */
    private static final class Log {
        private final Deque<TokenEvent> events = new ArrayDeque<>();
        private final Map<TokenEvent.Type, Long> counts = new EnumMap<>(TokenEvent.Type.class);
        private Instant lastObtained;

        synchronized void add(TokenEvent event, int capacity) {
            events.addFirst(event);
            while (events.size() > capacity) {
                events.removeLast();
            }
            counts.merge(event.type(), 1L, Long::sum);
            if (event.type() == TokenEvent.Type.ACQUIRED || event.type() == TokenEvent.Type.REFRESHED) {
                lastObtained = event.at();
            }
        }

        synchronized List<TokenEvent> newestFirst() {
            return List.copyOf(new ArrayList<>(events));
        }

        synchronized Map<TokenEvent.Type, Long> counts() {
            return new EnumMap<>(counts);
        }

        synchronized Instant lastObtained() {
            return lastObtained;
        }
    }
}
