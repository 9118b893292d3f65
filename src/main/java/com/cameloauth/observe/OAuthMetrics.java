package com.cameloauth.observe;

import java.time.Clock;
import java.time.Duration;

import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenEventListener;
import com.cameloauth.token.TokenManager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer metrics per connection:
 * <ul>
 * <li>{@code oauth.token.events} (counter; tags {@code connection}, {@code event}): acquired, refreshed, rejected
 * (401 replays), failed, refresh_failed, blocked;</li>
 * <li>{@code oauth.token.expires.in} (gauge, seconds; tag {@code connection}): time left on the cached token, 0 when
 * none;</li>
 * <li>{@code oauth.connection.up} (gauge; tag {@code connection}): 1 unless the connection is FAILED or
 * UNAVAILABLE.</li>
 * </ul>
 */
public final class OAuthMetrics implements MeterBinder, TokenEventListener {
    private final OAuthConnections connections;
    private final Clock clock;
    private MeterRegistry registry;

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
                        .description("1 unless the connection is FAILED or UNAVAILABLE").register(registry);
                for (TokenEvent.Type type : TokenEvent.Type.values()) {
                    counter(name, type);
                }
            });
        }
        connections.addListener(this);
    }

    @Override
    public void onEvent(TokenEvent event) {
        MeterRegistry r = registry;
        if (r != null) {
            counter(event.connection(), event.type()).increment();
        }
    }

    private Counter counter(String connection, TokenEvent.Type type) {
        return Counter.builder("oauth.token.events").tag("connection", connection).tag("event", type.name().toLowerCase())
                .description("Token lifecycle events").register(registry);
    }

    private double secondsLeft(TokenManager m) {
        return m.cachedToken().map(t -> Math.max(0, Duration.between(clock.instant(), t.expiresAt()).toMillis() / 1000.0))
                .orElse(0.0);
    }

    private static double up(TokenManager m) {
        return switch (m.state()) {
            case FAILED, UNAVAILABLE -> 0;
            default -> 1;
        };
    }
}
