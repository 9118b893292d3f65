package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.cameloauth.connection.ConnectionDefinition.Resilience;

/**
 * Spares a token endpoint that is failing: honours Retry-After, opens a circuit after consecutive failures, and
 * holds back a client the server rejected. While blocked, callers fail fast without a request. The first request
 * after the block ends is the half-open probe: the engine's single-flight makes it the only one.
 */
final class EndpointGuard {
    /** Why callers are being turned away. */
    enum Block {
        NONE, RETRY_AFTER, CIRCUIT_OPEN, CLIENT_REJECTED
    }

    private record State(Block block, long untilMillis, OAuthTokenException cause) {
    }

    private static final State OPEN = new State(Block.NONE, Long.MIN_VALUE, null);

    private final String connection;
    private final Resilience resilience;
    private final Clock clock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile State state = OPEN;

    EndpointGuard(String connection, Resilience resilience, Clock clock) {
        this.connection = connection;
        this.resilience = resilience;
        this.clock = clock;
    }

    /** Throws at once, without a request, while the endpoint is blocked. */
    void checkAllowed() {
        State s = state;
        if (s.block == Block.NONE || clock.millis() >= s.untilMillis) {
            return;
        }
        Instant until = Instant.ofEpochMilli(s.untilMillis);
        if (s.block == Block.CLIENT_REJECTED) {
            throw new InvalidClientException(connection, "not asking the token endpoint again before " + until
                    + ": the last request was rejected; fix the client credentials", s.cause.httpStatus(),
                    s.cause.errorCode().orElse(null)).markFailFast();
        }
        String why = s.block == Block.RETRY_AFTER ? "the token endpoint asked to retry after " + until
                : "circuit open after " + consecutiveFailures.get() + " failed token requests, until " + until;
        throw new TokenEndpointUnavailableException(connection, "failing fast: " + why, 0,
                Duration.ofMillis(Math.max(0, s.untilMillis - clock.millis())), s.cause).markFailFast();
    }

    void onSuccess() {
        consecutiveFailures.set(0);
        state = OPEN;
    }

    /**
     * Records a failed attempt; returns the block it caused, if any. Every failure counts towards the circuit, also
     * one that came with a Retry-After: a Retry-After of zero (or in the past) blocks nothing, so without the count
     * an endpoint answering "retry after 0" would be asked again and again.
     */
    Block onFailure(OAuthTokenException e) {
        long now = clock.millis();
        int failures = consecutiveFailures.incrementAndGet();
        if (e instanceof InvalidClientException || e instanceof TokenRequestRejectedException) {
            state = new State(Block.CLIENT_REJECTED, plus(now, millis(resilience.circuitOpenDuration())), e);
            return Block.CLIENT_REJECTED;
        }
        long retryAfter = 0;
        if (e instanceof TokenEndpointUnavailableException u && u.retryAfter().isPresent()) {
            Duration asked = u.retryAfter().get();
            long wait = millis(asked.compareTo(resilience.maxRetryAfter()) > 0 ? resilience.maxRetryAfter() : asked);
            retryAfter = wait <= 0 ? 0 : plus(wait, ThreadLocalRandom.current().nextLong(wait / 10 + 1));
        }
        if (failures >= resilience.circuitFailureThreshold()) {
            long open = Math.max(millis(resilience.circuitOpenDuration()), retryAfter);
            state = new State(Block.CIRCUIT_OPEN, plus(now, open), e);
            return Block.CIRCUIT_OPEN;
        }
        if (retryAfter > 0) {
            state = new State(Block.RETRY_AFTER, plus(now, retryAfter), e);
            return Block.RETRY_AFTER;
        }
        return Block.NONE;
    }

    /** Milliseconds of a duration, saturated instead of overflowing. */
    private static long millis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** The current block, NONE once it has ended. */
    Block block() {
        State s = state;
        return s.block != Block.NONE && clock.millis() < s.untilMillis ? s.block : Block.NONE;
    }
}
