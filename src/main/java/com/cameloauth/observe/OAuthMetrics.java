package com.cameloauth.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenEventListener;
import com.cameloauth.token.TokenManager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer metrics per connection (names as Prometheus shows them):
 * <ul>
 * <li>{@code oauth_token_requests_total} (tags {@code connection}, {@code grant}, {@code outcome}): requests sent to
 * the token endpoint; outcome {@code success}, {@code rejected} (the server answered an OAuth error code) or
 * {@code failure} (no usable answer: network, 5xx, bad body);</li>
 * <li>{@code oauth_token_request_duration_seconds} (timer; tags {@code connection}, {@code grant});</li>
 * <li>{@code oauth_token_refreshes_total} (tag {@code connection}): a new token replaced a previous one;</li>
 * <li>{@code oauth_api_replays_total} (tag {@code connection}): requests sent again with a new token after a 401;</li>
 * <li>{@code oauth_api_calls_total} (tags {@code connection}, {@code status_class} 2xx/3xx/4xx/5xx/error): HTTP
 * requests the {@code oauth:} producer sent, a replay counted as a second one;</li>
 * <li>{@code oauth_token_events_total} (tags {@code connection}, {@code event}): every lifecycle event;</li>
 * <li>{@code oauth_token_expires_in_seconds} (gauge; tag {@code connection}): time left on the cached token, by the
 * engine's clock, 0 when none;</li>
 * <li>{@code oauth_connection_up} (gauge; tag {@code connection}): 1 when the connection's health is UP (a valid
 * token, or the last one was had without error), 0 before the first token and when FAILED, UNAVAILABLE or
 * NEEDS_CONSENT;</li>
 * <li>{@code oauth_store_available} (gauge; tag {@code connection}): 0 from a {@code STORE_UNAVAILABLE} event (the
 * token store, e.g. Redis, failed: the instance goes on from memory) until {@code STORE_RECOVERED}, else 1. How often
 * it failed: {@code oauth_token_events_total{event="store_unavailable"}}.</li>
 * </ul>
 * Tag values are connection names, grant types, outcomes and event types: never a token or secret.
 */
public final class OAuthMetrics implements MeterBinder, TokenEventListener, ApiCallRecorder {
    private final OAuthConnections connections;
    private final Clock clock;
    private volatile MeterRegistry registry;
    private final Map<String, AtomicInteger> storeAvailable = new ConcurrentHashMap<>();

    public OAuthMetrics(OAuthConnections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String name : connections.names()) {
            connections.tokenManager(name).ifPresent(m -> {
                Gauge.builder("oauth.token.expires.in", m, this::secondsLeft).tag("connection", name)
                        .baseUnit("seconds").description("Seconds until the cached access token expires").register(registry);
                Gauge.builder("oauth.connection.up", m, OAuthMetrics::up).tag("connection", name)
                        .description("1 when the connection is healthy (it has or had a token without error)")
                        .register(registry);
                for (TokenEvent.Type type : TokenEvent.Type.values()) {
                    eventCounter(registry, name, type);
                }
                Gauge.builder("oauth.store.available", storeAvailable(name), AtomicInteger::get).tag("connection", name)
                        .description("0 while the token store fails and the instance goes on from memory, else 1")
                        .register(registry);
                refreshes(registry, name);
                replays(registry, name);
            });
        }
        connections.addListener(this);
    }

    @Override
    public void onEvent(TokenEvent event) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String name = event.connection();
        eventCounter(r, name, event.type()).increment();
        switch (event.type()) {
            case REFRESHED -> refreshes(r, name).increment();
            case REPLAYED -> replays(r, name).increment();
            case STORE_UNAVAILABLE -> storeAvailable(name).set(0);
            case STORE_RECOVERED -> storeAvailable(name).set(1);
            default -> {
                // counted as an event only
            }
        }
        if (event.endedTokenRequest()) {
            String grant = event.grant() == null ? "unknown" : event.grant();
            Counter.builder("oauth.token.requests").tag("connection", name).tag("grant", grant)
                    .tag("outcome", outcome(event)).description("Requests sent to the token endpoint").register(r)
                    .increment();
            Timer.builder("oauth.token.request.duration").tag("connection", name).tag("grant", grant)
                    .description("Duration of token requests").register(r).record(event.duration());
        }
    }

    @Override
    public void apiCall(String connection, int status) {
        MeterRegistry r = registry;
        if (r != null) {
            Counter.builder("oauth.api.calls").tag("connection", connection)
                    .tag("status_class", ApiCallRecorder.statusClass(status))
                    .description("HTTP requests sent to the API through the connection").register(r).increment();
        }
    }

    private static String outcome(TokenEvent event) {
        return switch (event.type()) {
            case ACQUIRED, REFRESHED, CONSENT_GRANTED -> "success";
            default -> event.errorCode() != null ? "rejected" : "failure";
        };
    }

    private AtomicInteger storeAvailable(String connection) {
        return storeAvailable.computeIfAbsent(connection, c -> new AtomicInteger(1));
    }

    private static Counter eventCounter(MeterRegistry r, String connection, TokenEvent.Type type) {
        return Counter.builder("oauth.token.events").tag("connection", connection).tag("event", type.name().toLowerCase())
                .description("Token lifecycle events").register(r);
    }

    private static Counter refreshes(MeterRegistry r, String connection) {
        return Counter.builder("oauth.token.refreshes").tag("connection", connection)
                .description("New tokens that replaced a previous one").register(r);
    }

    private static Counter replays(MeterRegistry r, String connection) {
        return Counter.builder("oauth.api.replays").tag("connection", connection)
                .description("API requests sent again with a new token after a 401").register(r);
    }

    private double secondsLeft(TokenManager m) {
        return m.cachedToken().map(t -> Math.max(0, Duration.between(clock.instant(), t.expiresAt()).toMillis() / 1000.0))
                .orElse(0.0);
    }

    /** The same rule as the connection's health check: UP with a valid token or after a success, else DOWN. */
    private static double up(TokenManager m) {
        return switch (m.state()) {
            case ACTIVE, EXPIRED -> 1;
            default -> 0;
        };
    }
}
