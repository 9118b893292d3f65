package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.cameloauth.connection.ConnectionDefinition;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;

/**
 * The token lifecycle of one connection: cache, single-flight, proactive refresh and eviction on 401.
 * <ul>
 * <li>Fast path: one volatile read and a clock read; no lock, no allocation.</li>
 * <li>Single-flight: at most one token request in flight; every caller needing a token meanwhile shares its result.</li>
 * <li>Proactive refresh: past the refresh point, one background request runs while callers keep the valid token.</li>
 * <li>401: the rejected token is evicted only if it is still current, so a 401 storm causes one request.</li>
 * <li>Nobody waits forever: a caller joining a request in flight gives up after request-timeout, and a request that
 * ends in any way, an {@link Error} included, completes what its callers wait on.</li>
 * <li>A valid token is never given up before its successor exists: {@link #refresh()} swaps on success only.</li>
 * <li>Behind the single-flight, a {@link TokenSource} adopts a token from the store or makes the request under the
 * store's lease; the fast path never touches the store. One request runs and reports in {@link TokenRequestRun}.</li>
 * </ul>
 */
public final class TokenManager implements RequestAuthorizer {
    /** Added to request-timeout for a caller joining a request, so that the request's own deadline ends it first. */
    private static final long JOIN_MARGIN_MILLIS = 100;

    /** Why a token request is started: where it runs and which cached token makes it unnecessary. */
    private enum Need {
        /** A caller has no valid token: runs on the caller's thread; a valid cached token is enough. */
        TOKEN(false),
        /** Past the refresh point: runs in the background; unnecessary before the refresh point. */
        REFRESH(true),
        /** A health probe: runs in the background; a valid cached token is enough. */
        PROBE(true),
        /** {@link #refresh()}: runs on the caller's thread, whatever is cached. */
        FORCED(false);

        final boolean background;

        Need(boolean background) {
            this.background = background;
        }
    }

    private final ConnectionDefinition connection;
    private final TokenSource source;
    private final EndpointGuard guard;
    private final Clock clock;
    private final Executor executor;
    private final TokenEvents events;
    private final AtomicReference<CachedToken> cached = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<CachedToken>> inFlight = new AtomicReference<>();
    private final ConnectionStatus status = new ConnectionStatus();
    private final TokenRequestRun requests;

    TokenManager(ConnectionDefinition connection, TokenSource source, EndpointGuard guard, Clock clock,
            Executor executor, Sleeper sleeper, TokenEvents events) {
        this.connection = connection;
        this.source = source;
        this.guard = guard;
        this.clock = clock;
        this.executor = executor;
        this.events = events;
        this.requests = new TokenRequestRun(connection, source, guard, clock, sleeper, events, status, cached, inFlight);
    }

    @Override
    public Authorization authorize() {
        CachedToken c = cached.get();
        if (c != null) {
            long now = clock.millis();
            if (now < c.refreshAtMillis()) {
                return c.authorization();
            }
            if (now < c.expiresAtMillis()) {
                refreshInBackground();
                return c.authorization();
            }
        }
        return awaitToken(Need.TOKEN).authorization();
    }

    /** The current access token, fetching one if none is valid. */
    public Token currentToken() {
        return authorize().token();
    }

    @Override
    public Optional<Authorization> afterRejection(Authorization rejected) {
        CachedToken c = cached.get();
        requests.spent(rejected.token());
        if (c != null && c.authorization() == rejected && cached.compareAndSet(c, null)) {
            events.emit(TokenEvent.Type.REJECTED, c.token(), "the API answered 401");
        }
        Authorization next = authorize();
        events.emit(TokenEvent.Type.REPLAYED, next.token(), "a new token for the request the API rejected");
        return Optional.of(next);
    }

    /**
     * Gets a new token now and swaps it in once it has arrived. Until then, and for good if the request fails, the
     * current token stays: callers keep being served it without waiting.
     */
    public Token refresh() {
        return awaitToken(Need.FORCED).token();
    }

    /** Drops the cached token; the next call fetches a new one. */
    public void invalidate() {
        revoked(cached.getAndSet(null), "the cached token was dropped");
    }

    /**
     * Redeems a one-off grant from a completed consent (an authorization code with its PKCE verifier), stores the
     * token set and caches its token: the connection is ACTIVE again, and its refresh token keeps it so.
     */
    Token completeConsent(AuthorizationGrant authorizationCode) {
        CachedToken next = source.redeem(authorizationCode);
        cached.set(next);
        requests.spent(null);
        status.succeeded();
        events.emit(TokenEvent.Type.CONSENT_GRANTED, next.token(), "consent given; token expires in "
                + Duration.between(next.token().receivedAt(), next.token().expiresAt()).toSeconds() + " s");
        return next.token();
    }

    /** Drops the cached token and the stored token set (with its refresh token): the next call starts over. */
    public void forget() {
        forget("the cached token and the stored token set were dropped");
    }

    /** {@link #forget()}, with the detail of the REVOKED event. */
    void forget(String detail) {
        CachedToken dropped = cached.getAndSet(null);
        source.forget();
        revoked(dropped, detail);
    }

    /** After a revocation: no token can be had without a user's consent again (its refresh token is gone). */
    void consentNeeded() {
        if (status.consentRequired(new ConsentRequiredException(connection.name(), null))) {
            events.emit(TokenEvent.Type.CONSENT_REQUIRED, null, "the token set was revoked: a user must give consent"
                    + " again: GET /oauth/consent/" + connection.name() + " or operation=consent-url");
        }
    }

    private void revoked(CachedToken dropped, String detail) {
        events.emit(TokenEvent.Type.REVOKED, dropped == null ? null : dropped.token(), detail);
    }

    /** ACTIVE while a valid token is cached, even if its refresh fails: callers are served all the same. */
    public ConnectionState state() {
        CachedToken c = cached.get();
        if (c != null && clock.millis() < c.expiresAtMillis()) {
            return ConnectionState.ACTIVE;
        }
        return status.withoutToken(guard.block());
    }

    /** The cached token, if one is valid now; never fetches. */
    public Optional<Token> cachedToken() {
        CachedToken c = cached.get();
        return c != null && clock.millis() < c.expiresAtMillis() ? Optional.of(c.token()) : Optional.empty();
    }

    /** The failure of the last token request, if it failed (cleared by the next success). */
    public Optional<OAuthTokenException> lastFailure() {
        return status.lastFailure();
    }

    /**
     * For a health check: when no token is valid and none was had since the last failure (or ever), starts getting
     * one in the background, unless a request is in flight already or the token endpoint is blocked. Never waits.
     * A connection whose token merely expired after a success is not probed: its endpoint worked, and nobody needs
     * the token yet.
     *
     * @return whether a token request is in flight now
     */
    public boolean probe() {
        if (inFlight.get() != null) {
            return true;
        }
        CachedToken c = cached.get();
        if ((c != null && clock.millis() < c.expiresAtMillis()) || !status.probeUseful()
                || guard.block() != EndpointGuard.Block.NONE) {
            return false;
        }
        return !startOrJoin(Need.PROBE).isDone();
    }

    public String connectionName() {
        return connection.name();
    }

    /**
     * Starts a request or joins the one in flight and waits for its result: a request this caller started runs on its
     * thread; one it joined is waited for at most request-timeout. That request goes on; a later caller joins it or,
     * once it has ended, starts another.
     */
    private CachedToken awaitToken(Need need) {
        CompletableFuture<CachedToken> request = startOrJoin(need);
        long wait = connection.timeouts().request().toMillis() + JOIN_MARGIN_MILLIS;
        try {
            return request.get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new OAuthTokenException(connection.name(), "token request failed", 0, null, false, e.getCause());
        } catch (TimeoutException e) {
            throw new TokenEndpointUnavailableException(connection.name(), "the token request in flight did not finish"
                    + " within request-timeout (" + connection.timeouts().request().toMillis() + " ms); it goes on, and"
                    + " a later call gets its token or starts a new request once it ends", 0, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenEndpointUnavailableException(connection.name(), "interrupted while waiting for the token"
                    + " request in flight", 0, null, e);
        }
    }

    private void refreshInBackground() {
        if (inFlight.get() == null) {
            startOrJoin(Need.REFRESH);
        }
    }

    /**
     * Joins the request in flight or starts one. After winning the race to start, the cache is checked again: a
     * request that ended between the caller's cache read and now has already done the work.
     */
    private CompletableFuture<CachedToken> startOrJoin(Need need) {
        while (true) {
            CompletableFuture<CachedToken> existing = inFlight.get();
            if (existing != null) {
                return existing;
            }
            CompletableFuture<CachedToken> mine = new CompletableFuture<>();
            if (!inFlight.compareAndSet(null, mine)) {
                continue;
            }
            CachedToken c = cached.get();
            long now = clock.millis();
            long enoughUntil = c == null ? Long.MIN_VALUE : need == Need.REFRESH ? c.refreshAtMillis() : c.expiresAtMillis();
            if (need != Need.FORCED && now < enoughUntil) {
                mine.complete(c);
                inFlight.compareAndSet(mine, null);
                return mine;
            }
            if (!need.background) {
                requests.run(mine);
            } else {
                try {
                    executor.execute(() -> requests.run(mine));
                } catch (RejectedExecutionException e) {
                    inFlight.compareAndSet(mine, null);
                    if (c != null && now < c.expiresAtMillis()) {
                        mine.complete(c);
                    } else {
                        mine.completeExceptionally(new TokenEndpointUnavailableException(connection.name(),
                                "the engine is shutting down: no token request started", 0, null, e));
                    }
                }
            }
            return mine;
        }
    }
}
