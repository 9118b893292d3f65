package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinition.TokenTiming;

/**
 * The token lifecycle of one connection: cache, single-flight, proactive refresh and eviction on 401.
 * <ul>
 * <li>Fast path: one volatile read and a clock read; no lock, no allocation.</li>
 * <li>Single-flight: at most one token request in flight; every caller needing a token meanwhile shares its result.</li>
 * <li>Proactive refresh: past the refresh point, one background request runs while callers keep the valid token.</li>
 * <li>401: the rejected token is evicted only if it is still current, so a 401 storm causes one request.</li>
 * </ul>
 */
public final class TokenManager implements RequestAuthorizer {
    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    /** A cached token with its precomputed header and times. Replaced whole, never mutated. */
    private record Cached(Token token, Authorization authorization, long refreshAtMillis, long expiresAtMillis) {
        Cached withRefreshAt(long millis) {
            return new Cached(token, authorization, Math.min(millis, expiresAtMillis), expiresAtMillis);
        }
    }

    private final ConnectionDefinition connection;
    private final TokenFetcher fetcher;
    private final Clock clock;
    private final Executor executor;
    private final Sleeper sleeper;
    private final TokenEventListener listener;
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Cached>> inFlight = new AtomicReference<>();
    private volatile long lastUncacheableMillis = Long.MIN_VALUE;
    private volatile boolean everAcquired;
    private volatile OAuthTokenException lastError;

    TokenManager(ConnectionDefinition connection, TokenFetcher fetcher, Clock clock, Executor executor, Sleeper sleeper,
            TokenEventListener listener) {
        this.connection = connection;
        this.fetcher = fetcher;
        this.clock = clock;
        this.executor = executor;
        this.sleeper = sleeper;
        this.listener = listener;
    }

    @Override
    public Authorization authorize() {
        Cached c = cached.get();
        if (c != null) {
            long now = clock.millis();
            if (now < c.refreshAtMillis) {
                return c.authorization;
            }
            if (now < c.expiresAtMillis) {
                refreshInBackground();
                return c.authorization;
            }
        }
        return awaitToken().authorization;
    }

    /** The current access token, fetching one if none is valid. */
    public Token currentToken() {
        return authorize().token();
    }

    @Override
    public Optional<Authorization> afterRejection(Authorization rejected) {
        Cached c = cached.get();
        if (c != null && c.authorization == rejected && cached.compareAndSet(c, null)) {
            emit(TokenEvent.Type.REJECTED, c.token, "the API answered 401");
        }
        return Optional.of(authorize());
    }

    /** Drops the cached token and gets a new one now (callers in the meantime share that request). */
    public Token refresh() {
        cached.set(null);
        return awaitToken().token;
    }

    /** Drops the cached token; the next call fetches a new one. */
    public void invalidate() {
        cached.set(null);
    }

    public ConnectionState state() {
        EndpointGuard.Block block = fetcher.guard().block();
        if (block == EndpointGuard.Block.CLIENT_REJECTED) {
            return ConnectionState.FAILED;
        }
        if (block != EndpointGuard.Block.NONE) {
            return ConnectionState.UNAVAILABLE;
        }
        Cached c = cached.get();
        if (c != null && clock.millis() < c.expiresAtMillis) {
            return ConnectionState.ACTIVE;
        }
        OAuthTokenException error = lastError;
        if (error != null) {
            return error.isRetryable() ? ConnectionState.UNAVAILABLE : ConnectionState.FAILED;
        }
        return everAcquired ? ConnectionState.EXPIRED : ConnectionState.IDLE;
    }

    /** The cached token, if one is valid now; never fetches. */
    public Optional<Token> cachedToken() {
        Cached c = cached.get();
        return c != null && clock.millis() < c.expiresAtMillis ? Optional.of(c.token) : Optional.empty();
    }

    /** The failure of the last token request, if it failed (cleared by the next success). */
    public Optional<OAuthTokenException> lastFailure() {
        return Optional.ofNullable(lastError);
    }

    public String connectionName() {
        return connection.name();
    }

    private Cached awaitToken() {
        try {
            return startOrJoin(false).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void refreshInBackground() {
        if (inFlight.get() == null) {
            startOrJoin(true);
        }
    }

    /**
     * Joins the request in flight or starts one. A foreground start runs on the calling thread; a background one on
     * the executor. After winning the race to start, the cache is checked again: a request that ended between the
     * caller's cache read and now has already done the work.
     */
    private CompletableFuture<Cached> startOrJoin(boolean background) {
        while (true) {
            CompletableFuture<Cached> existing = inFlight.get();
            if (existing != null) {
                return existing;
            }
            CompletableFuture<Cached> mine = new CompletableFuture<>();
            if (!inFlight.compareAndSet(null, mine)) {
                continue;
            }
            Cached c = cached.get();
            long now = clock.millis();
            if (c != null && now < (background ? c.refreshAtMillis : c.expiresAtMillis)) {
                mine.complete(c);
                inFlight.compareAndSet(mine, null);
                return mine;
            }
            if (!background) {
                fetchInto(mine, false);
            } else {
                try {
                    executor.execute(() -> fetchInto(mine, true));
                } catch (RejectedExecutionException e) {
                    inFlight.compareAndSet(mine, null);
                    mine.complete(c);
                }
            }
            return mine;
        }
    }

    private void fetchInto(CompletableFuture<Cached> mine, boolean background) {
        boolean blockedBefore = fetcher.guard().block() != EndpointGuard.Block.NONE;
        try {
            respectMinFetchInterval();
            Token token = fetcher.fetch();
            Cached next = toCached(token);
            boolean refreshed = everAcquired;
            if (token.isCacheable()) {
                cached.set(next);
            } else {
                lastUncacheableMillis = clock.millis();
            }
            everAcquired = true;
            lastError = null;
            mine.complete(next);
            emit(refreshed ? TokenEvent.Type.REFRESHED : TokenEvent.Type.ACQUIRED, token, token.isCacheable()
                    ? "expires in " + Duration.between(token.receivedAt(), token.expiresAt()).toSeconds() + " s"
                    : "no usable expires_in: used once, not cached");
        } catch (OAuthTokenException e) {
            if (background) {
                postponeRefresh();
            }
            mine.completeExceptionally(e);
            if (!e.isFailFast()) {
                lastError = e;
            }
            if (e.isFailFast()) {
                // Not a new lifecycle event: the block was reported when it began.
                LOG.debug("{}", e.getMessage());
                return;
            }
            emit(background ? TokenEvent.Type.REFRESH_FAILED : TokenEvent.Type.FAILED, null, e.getMessage());
            EndpointGuard.Block block = fetcher.guard().block();
            if (block != EndpointGuard.Block.NONE && !blockedBefore) {
                emit(TokenEvent.Type.BLOCKED, null, block.name());
            }
        } catch (RuntimeException e) {
            OAuthTokenException wrapped = new OAuthTokenException(connection.name(), "token request failed: "
                    + e.getClass().getSimpleName(), 0, null, false, e);
            mine.completeExceptionally(wrapped);
            emit(TokenEvent.Type.FAILED, null, wrapped.getMessage());
        } finally {
            inFlight.compareAndSet(mine, null);
        }
    }

    /** A token that must not be cached is fetched again no sooner than min-fetch-interval after the last one. */
    private void respectMinFetchInterval() {
        long last = lastUncacheableMillis;
        if (last == Long.MIN_VALUE) {
            return;
        }
        long wait = last + connection.timing().minFetchInterval().toMillis() - clock.millis();
        if (wait > 0) {
            try {
                sleeper.sleep(Duration.ofMillis(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TokenEndpointUnavailableException(connection.name(), "interrupted while waiting for"
                        + " min-fetch-interval", 0, null, e);
            }
        }
    }

    /** After a failed background refresh the valid token stays; try again a little later, not on every call. */
    private void postponeRefresh() {
        long retryAt = clock.millis() + Math.max(1000, connection.resilience().retryBackoff().toMillis() * 10);
        Cached c = cached.get();
        if (c != null) {
            cached.compareAndSet(c, c.withRefreshAt(retryAt));
        }
    }

    private Cached toCached(Token token) {
        long received = token.receivedAt().toEpochMilli();
        long expires = token.expiresAt().toEpochMilli();
        long lifetime = expires - received;
        TokenTiming timing = connection.timing();
        long skew = timing.refreshSkew().map(Duration::toMillis)
                .orElseGet(() -> lifetime / 5 + ThreadLocalRandom.current().nextLong(lifetime / 20 + 1));
        // A skew as long as the lifetime would refresh on every call: refresh at half-life at the earliest.
        long refreshAt = Math.max(received + lifetime / 2, expires - skew);
        Authorization authorization = new Authorization(connection.header().name(),
                connection.header().valueFor(token.value()), token);
        return new Cached(token, authorization, refreshAt, expires);
    }

    private void emit(TokenEvent.Type type, Token token, String detail) {
        String fingerprint = token == null ? null : token.fingerprint();
        Instant at = clock.instant();
        if (type == TokenEvent.Type.REFRESH_FAILED || type == TokenEvent.Type.FAILED) {
            LOG.warn("{} ({})", detail, type == TokenEvent.Type.FAILED ? "no token" : "the current token stays in use");
        } else if (type == TokenEvent.Type.BLOCKED) {
            LOG.warn("oauth connection '{}': token endpoint blocked ({}): callers fail fast until it ends",
                    connection.name(), detail);
        } else {
            LOG.info("oauth connection '{}': token {}{} via {} ({})", connection.name(), type.name().toLowerCase(),
                    fingerprint == null ? "" : " fp=" + fingerprint, fetcher.grantName(), detail);
        }
        try {
            listener.onEvent(new TokenEvent(type, connection.name(), at, fingerprint, detail));
        } catch (RuntimeException e) {
            LOG.warn("oauth connection '{}': an event listener failed: {}", connection.name(), e.toString());
        }
    }
}
