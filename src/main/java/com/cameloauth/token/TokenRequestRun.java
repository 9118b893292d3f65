package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.connection.ConnectionDefinition;

/**
 * One token request of a {@link TokenManager}, started by its single-flight: gets a token from the
 * {@link TokenSource}, caches it, and reports the outcome (events, status), so that the manager keeps only the cache,
 * the single-flight and its public API.
 */
final class TokenRequestRun {
    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    private final ConnectionDefinition connection;
    private final TokenSource source;
    private final EndpointGuard guard;
    private final Clock clock;
    private final Sleeper sleeper;
    private final TokenEvents events;
    private final ConnectionStatus status;
    private final AtomicReference<CachedToken> cached;
    private final AtomicReference<CompletableFuture<CachedToken>> inFlight;
    private volatile long lastUncacheableMillis = Long.MIN_VALUE;
    /** The fingerprint of the last token the API rejected: never adopted from the store again. */
    private volatile String spentFingerprint;

    TokenRequestRun(ConnectionDefinition connection, TokenSource source, EndpointGuard guard, Clock clock,
            Sleeper sleeper, TokenEvents events, ConnectionStatus status, AtomicReference<CachedToken> cached,
            AtomicReference<CompletableFuture<CachedToken>> inFlight) {
        this.connection = connection;
        this.source = source;
        this.guard = guard;
        this.clock = clock;
        this.sleeper = sleeper;
        this.events = events;
        this.status = status;
        this.cached = cached;
        this.inFlight = inFlight;
    }

    /** The API rejected {@code token} (null: forget the last one). */
    void spent(Token token) {
        spentFingerprint = token == null ? null : token.fingerprint();
    }

    /**
     * One token request. Whatever happens, {@code mine} is completed and cleared before this returns: callers that
     * joined must never wait forever, not even after an {@link Error}, which is rethrown on this thread only.
     */
    void run(CompletableFuture<CachedToken> mine) {
        boolean blockedBefore = guard.block() != EndpointGuard.Block.NONE;
        long started = Long.MIN_VALUE;
        try {
            respectMinFetchInterval();
            started = clock.millis();
            TokenSource.Obtained obtained = source.obtain(cached.get(), spentFingerprint);
            CachedToken next = obtained.entry();
            Token token = next.token();
            if (token.isCacheable()) {
                cached.set(next);
            } else {
                lastUncacheableMillis = clock.millis();
            }
            boolean refreshed = status.succeeded();
            mine.complete(next);
            inFlight.compareAndSet(mine, null);
            events.emit(refreshed ? TokenEvent.Type.REFRESHED : TokenEvent.Type.ACQUIRED, token,
                    (obtained.adopted() ? "from the token store; " : "") + (token.isCacheable()
                    ? "expires in " + Duration.between(token.receivedAt(), token.expiresAt()).toSeconds() + " s"
                    : "no usable expires_in: used once, not cached"), obtained.adopted() ? null : since(started), null);
        } catch (ConsentRequiredException e) {
            keepValidTokenAfterFailure();
            boolean changed = status.consentRequired(e);
            mine.completeExceptionally(e);
            inFlight.compareAndSet(mine, null);
            if (changed) {
                events.emit(TokenEvent.Type.CONSENT_REQUIRED, null, "a user must give consent: GET /oauth/consent/"
                        + connection.name() + ", OAuthConnections.beginConsent or operation=consent-url");
            }
        } catch (OAuthTokenException e) {
            boolean tokenStays = keepValidTokenAfterFailure();
            if (!e.isFailFast()) {
                status.failed(e);
            }
            mine.completeExceptionally(e);
            inFlight.compareAndSet(mine, null);
            if (e.isFailFast()) {
                // Not a new lifecycle event: the block was reported when it began.
                LOG.debug("{}", e.getMessage());
                return;
            }
            events.emit(tokenStays ? TokenEvent.Type.REFRESH_FAILED : TokenEvent.Type.FAILED, null, e.getMessage(),
                    since(started), e.errorCode().orElse(null));
            EndpointGuard.Block block = guard.block();
            if (block != EndpointGuard.Block.NONE && !blockedBefore) {
                events.emit(TokenEvent.Type.BLOCKED, null, block.name());
            }
        } catch (RuntimeException | Error e) {
            if (mine.isDone()) {
                throw e; // after the token arrived (an OutOfMemoryError reporting it): nothing to undo
            }
            OAuthTokenException wrapped = new OAuthTokenException(connection.name(), "token request failed: "
                    + e.getClass().getSimpleName(), 0, null, false, e);
            boolean tokenStays = keepValidTokenAfterFailure();
            status.failed(wrapped);
            mine.completeExceptionally(wrapped);
            inFlight.compareAndSet(mine, null);
            events.emit(tokenStays ? TokenEvent.Type.REFRESH_FAILED : TokenEvent.Type.FAILED, null, wrapped.getMessage(),
                    since(started), null);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            if (!mine.isDone()) {
                mine.completeExceptionally(new OAuthTokenException(connection.name(), "token request ended without a"
                        + " result", 0, null, false, null));
            }
            inFlight.compareAndSet(mine, null);
        }
    }

    /** How long the request started at {@code started} took; null when it never started. */
    private Duration since(long started) {
        return started == Long.MIN_VALUE ? null : Duration.ofMillis(Math.max(0, clock.millis() - started));
    }

    /**
     * After a failed request, a token that is still valid stays in use; its refresh is tried again a little later,
     * not on every call. Returns whether one stays.
     */
    private boolean keepValidTokenAfterFailure() {
        CachedToken c = cached.get();
        if (c == null || clock.millis() >= c.expiresAtMillis()) {
            return false;
        }
        long retryAt = clock.millis() + Math.max(1000, connection.resilience().retryBackoff().toMillis() * 10);
        if (retryAt > c.refreshAtMillis()) {
            cached.compareAndSet(c, c.withRefreshAt(retryAt));
        }
        return true;
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
}
