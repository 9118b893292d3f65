package com.cameloauth.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.grant.GrantContext;
import com.cameloauth.token.grant.RefreshTokenGrant;
import com.cameloauth.token.grant.TokenGrant;
import com.cameloauth.token.store.Lease;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.Versioned;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;

/**
 * Where a new token comes from, behind the {@link TokenManager}'s single-flight: the store first (a token another
 * instance or an earlier run stored is adopted without a request), then one request under the store's lease, saved by
 * compare-and-set so that a rotated refresh token replaces the one it was obtained with only if nobody replaced it
 * first. A refresh token is never sent twice: whoever loses a race adopts the winner's token set.
 */
final class TokenSource {
    /** Added to the lease's request budget: the holder's own deadline ends its request first. */
    private static final long LEASE_MARGIN_MILLIS = 2_000;
    /** How often a caller refused a lease looks for the holder's result. */
    private static final Duration POLL = Duration.ofMillis(20);

    /** A token to cache; {@code adopted} when it came from the store without a request. */
    record Obtained(CachedToken entry, boolean adopted) {
    }

    private final ConnectionDefinition connection;
    private final TokenGrant grant;
    private final TokenFetcher fetcher;
    private final StoreAccess store;
    private final Clock clock;
    private final Sleeper sleeper;
    private final TokenEvents events;
    private final Duration leaseTtl;
    /** The version of this engine's last claim of a refresh token: not another engine's claim. */
    private volatile long ownClaim = TokenStore.ABSENT;

    TokenSource(ConnectionDefinition connection, TokenGrant grant, TokenFetcher fetcher, StoreAccess store, Clock clock,
            Sleeper sleeper, TokenEvents events) {
        this.connection = connection;
        this.grant = grant;
        this.fetcher = fetcher;
        this.store = store;
        this.clock = clock;
        this.sleeper = sleeper;
        this.events = events;
        this.leaseTtl = Duration.ofMillis(connection.timeouts().request().toMillis()
                * Math.max(1, connection.resilience().maxAttempts()) + LEASE_MARGIN_MILLIS);
    }

    /**
     * A token to replace {@code current} (null if none) and never {@code spent} (the fingerprint of a token the API
     * rejected, or null): adopted from the store, or fetched under the lease.
     */
    Obtained obtain(CachedToken current, String spent) {
        StoreAccess.Loaded loaded = store.load();
        Obtained adopted = adoptable(loaded, current, spent);
        if (adopted != null) {
            return adopted;
        }
        if (grant.needsUser() && context(loaded, current).usableRefreshToken().isEmpty()) {
            throw new ConsentRequiredException(connection.name(), null);
        }
        Lease lease = store.tryAcquireLease(leaseTtl).orElse(null);
        long until = clock.millis() + leaseTtl.toMillis();
        while (lease == null) {
            // Another instance holds the lease: adopt its result, or take the lease over as soon as it ends without
            // one (released after a failure, or expired with a holder that died).
            pause();
            loaded = store.load();
            adopted = adoptable(loaded, current, spent);
            if (adopted != null) {
                return adopted;
            }
            lease = store.tryAcquireLease(leaseTtl).orElse(null);
            if (lease == null && clock.millis() >= until) {
                throw busy();
            }
        }
        try {
            loaded = store.load();
            adopted = adoptable(loaded, current, spent);
            return adopted != null ? adopted : fetchAndSave(loaded, current, spent, lease.isLocal());
        } finally {
            store.release(lease);
        }
    }

    /** Redeems a one-off grant (an authorization code) and stores the result, whatever was stored before. */
    CachedToken redeem(AuthorizationGrant oneOff) {
        TokenResponse response = fetcher.fetchOnce(oneOff);
        TokenSet next = response.toTokenSet(Optional.empty());
        grant.onResult(new GrantContext(connection, Optional.empty(), clock.instant()), next);
        for (int i = 0; i < 10; i++) {
            StoreAccess.Loaded loaded = store.load();
            if (!loaded.ok()) {
                break;
            }
            Optional<Versioned<TokenSet>> won = store.compareAndSet(loaded.version(), next);
            if (won == null) {
                break;
            }
            if (won.isPresent()) {
                return CachedToken.of(next, won.get().version(), false, connection);
            }
        }
        return CachedToken.of(next, TokenStore.ABSENT, true, connection);
    }

    /** Forgets the stored token set (revocation, a user's "forget"). */
    void forget() {
        store.delete();
    }

    private Obtained fetchAndSave(StoreAccess.Loaded loaded, CachedToken current, String spent, boolean localLease) {
        GrantContext context = context(loaded, current);
        long expected = expectedVersion(loaded, current);
        AuthorizationGrant request = grant.next(context);
        if (localLease && loaded.ok() && RefreshTokenGrant.isRefresh(request)) {
            // A local lease excludes nobody outside this engine: claim the refresh token in the store itself.
            if (claimedByAnother(loaded, current)) {
                StoreAccess.Loaded after = awaitHolder(loaded);
                Obtained adopted = adoptable(after, current, spent);
                if (adopted != null) {
                    return adopted;
                }
                if (!after.ok() || after.version() != loaded.version()) {
                    throw busy();
                }
                // the claimer vanished without a result: take over
            }
            Optional<Versioned<TokenSet>> claim = store.compareAndSet(expected, context.current().orElseThrow());
            if (claim != null && claim.isEmpty()) {
                return adoptAfterLostClaim(current, spent);
            }
            if (claim != null) {
                expected = claim.get().version();
                ownClaim = expected;
            }
        }
        TokenResponse response;
        try {
            response = fetcher.fetch(request);
        } catch (InvalidGrantException e) {
            grant.onError(context, e);
            if (!RefreshTokenGrant.isRefresh(request)) {
                throw e;
            }
            if (store.compareAndDelete(expected)) {
                expected = TokenStore.ABSENT;
            }
            events.emit(TokenEvent.Type.REFRESH_TOKEN_REJECTED, null, "the token endpoint answered invalid_grant to"
                    + " the refresh token; it was dropped");
            if (grant.needsUser()) {
                throw new ConsentRequiredException(connection.name(), e);
            }
            context = context.withoutRefreshToken();
            response = fetcher.fetch(grant.next(context)); // the base grant, once
        } catch (OAuthTokenException e) {
            grant.onError(context, e);
            throw e;
        }
        TokenSet next = response.toTokenSet(context.current().flatMap(TokenSet::refreshToken));
        grant.onResult(context, next);
        return save(expected, next);
    }

    private Obtained save(long expected, TokenSet next) {
        Optional<Versioned<TokenSet>> won = store.compareAndSet(expected, next);
        if (won == null) {
            return new Obtained(CachedToken.of(next, expected, true, connection), false);
        }
        if (won.isPresent()) {
            return new Obtained(CachedToken.of(next, won.get().version(), false, connection), false);
        }
        // Lost: another writer stored first. Its set holds the refresh token that is current now: use it.
        StoreAccess.Loaded winner = store.load();
        if (winner.entry() != null && winner.entry().value().isAccessTokenValidAt(clock.instant())) {
            return new Obtained(CachedToken.of(winner.entry().value(), winner.version(), false, connection), true);
        }
        return new Obtained(CachedToken.of(next, winner.version(), true, connection), false);
    }

    /**
     * Another engine sharing the store claimed the refresh token first: its result is adopted once stored. The refresh
     * token is not sent again meanwhile (the server would refuse a rotated one, and treat the reuse as theft).
     */
    private Obtained adoptAfterLostClaim(CachedToken current, String spent) {
        StoreAccess.Loaded claimed = store.load();
        Obtained adopted = adoptable(claimed, current, spent);
        if (adopted == null) {
            adopted = adoptable(awaitHolder(claimed), current, spent);
        }
        if (adopted == null) {
            throw busy();
        }
        return adopted;
    }

    /**
     * Whether the stored set is our current one, rewritten under a new version by another engine's claim (a claim
     * rewrites the set unchanged): its refresh token is being spent right now.
     */
    private boolean claimedByAnother(StoreAccess.Loaded loaded, CachedToken current) {
        return current != null && !current.unsaved() && loaded.entry() != null
                && loaded.version() != current.version() && loaded.version() != ownClaim
                && loaded.entry().value().accessToken().equals(current.set().accessToken());
    }

    private TokenEndpointUnavailableException busy() {
        return (TokenEndpointUnavailableException) new TokenEndpointUnavailableException(connection.name(), "another"
                + " engine or instance sharing the token store is getting this connection's token and has not stored the result"
                + " within " + leaseTtl.toMillis() + " ms; try again later", 0, null, null).markFailFast();
    }

    /** A stored valid token other than the current and the spent one: adopted with no request. */
    private Obtained adoptable(StoreAccess.Loaded loaded, CachedToken current, String spent) {
        if (!loaded.ok() || loaded.entry() == null) {
            return null;
        }
        TokenSet stored = loaded.entry().value();
        String fp = stored.accessTokenFingerprint();
        if (!stored.isAccessTokenValidAt(clock.instant()) || fp.equals(spent)
                || (current != null && fp.equals(current.token().fingerprint()))) {
            return null;
        }
        return new Obtained(CachedToken.of(stored, loaded.version(), false, connection), true);
    }

    /**
     * The token set to hand the grant: the stored one, unless ours is newer (its save failed and the store still has
     * the version ours replaced) or the store failed.
     */
    private GrantContext context(StoreAccess.Loaded loaded, CachedToken current) {
        TokenSet set;
        if (current != null && current.unsaved() && (!loaded.ok() || loaded.version() == current.version())) {
            set = current.set();
        } else if (loaded.ok()) {
            set = loaded.entry() == null ? null : loaded.entry().value();
        } else {
            set = current == null ? null : current.set();
        }
        return new GrantContext(connection, Optional.ofNullable(set), clock.instant());
    }

    private static long expectedVersion(StoreAccess.Loaded loaded, CachedToken current) {
        if (loaded.ok()) {
            return loaded.version();
        }
        return current == null ? TokenStore.ABSENT : current.version();
    }

    private void pause() {
        try {
            sleeper.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenEndpointUnavailableException(connection.name(), "interrupted while waiting for another"
                    + " instance's token request", 0, null, e);
        }
    }

    /** Waits, at most the lease ttl, for the lease holder to store a new version. */
    private StoreAccess.Loaded awaitHolder(StoreAccess.Loaded before) {
        long until = clock.millis() + leaseTtl.toMillis();
        StoreAccess.Loaded now = before;
        while (clock.millis() < until) {
            pause();
            now = store.load();
            if (!now.ok() || now.version() != before.version()) {
                return now;
            }
        }
        return now;
    }
}
