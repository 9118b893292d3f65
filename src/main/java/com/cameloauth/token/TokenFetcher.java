package com.cameloauth.token;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import com.cameloauth.connection.ConnectionDefinition.Resilience;
import com.cameloauth.token.grant.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;

/**
 * Gets one new token: attempts through the {@link EndpointGuard}, retrying transient faults with exponential
 * backoff and jitter, a bounded number of times. Errors that a retry cannot fix are thrown at once.
 */
final class TokenFetcher {
    /** The client; for a connection whose token endpoint is discovered, made on first use (a failure is an attempt's). */
    private final Supplier<? extends TokenRequester> client;
    private final EndpointGuard guard;
    private final Resilience resilience;
    private final Sleeper sleeper;

    TokenFetcher(TokenRequester client, EndpointGuard guard, Resilience resilience, Sleeper sleeper) {
        this(() -> client, guard, resilience, sleeper);
    }

    TokenFetcher(Supplier<? extends TokenRequester> client, EndpointGuard guard, Resilience resilience, Sleeper sleeper) {
        this.client = client;
        this.guard = guard;
        this.resilience = resilience;
        this.sleeper = sleeper;
    }

    /** A token with the grant's first request (no token set). */
    Token fetch() {
        boolean reloaded = false;
        for (int attempt = 1;; attempt++) {
            guard.checkAllowed();
            try {
                Token token = client.get().requestToken();
                guard.onSuccess();
                return token;
            } catch (InvalidClientException e) {
                if (reloaded || !client.get().reloadCredentials()) {
                    retryOrThrow(e, attempt);
                }
                reloaded = true;
                attempt--;
            } catch (OAuthTokenException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    /**
     * A token with {@code grant}. A refresh token the server refused ({@code invalid_grant}) is thrown at once and
     * blocks nothing: the engine drops it and starts over with the base grant, which must not be turned away.
     */
    TokenResponse fetch(AuthorizationGrant grant) {
        boolean reloaded = false;
        for (int attempt = 1;; attempt++) {
            guard.checkAllowed();
            try {
                TokenResponse response = client.get().request(grant);
                guard.onSuccess();
                return response;
            } catch (InvalidClientException e) {
                // The secret or key may have been rotated (a vault, a Kubernetes secret): read it again, retry once.
                if (reloaded || !client.get().reloadCredentials()) {
                    retryOrThrow(e, attempt);
                }
                reloaded = true;
                attempt--;
            } catch (InvalidGrantException e) {
                if (RefreshTokenGrant.isRefresh(grant)) {
                    throw e;
                }
                retryOrThrow(e, attempt);
            } catch (OAuthTokenException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    /** One attempt only: an authorization code works once, so a request that may have reached the server is not repeated. */
    TokenResponse fetchOnce(AuthorizationGrant grant) {
        guard.checkAllowed();
        try {
            TokenResponse response = client.get().request(grant);
            guard.onSuccess();
            return response;
        } catch (InvalidGrantException e) {
            throw e;
        } catch (OAuthTokenException e) {
            guard.onFailure(e);
            throw e;
        }
    }

    /** Counts the failure; throws unless another attempt is due, after pausing for it. */
    private void retryOrThrow(OAuthTokenException e, int attempt) {
        EndpointGuard.Block block = guard.onFailure(e);
        if (!e.isRetryable() || block != EndpointGuard.Block.NONE || attempt >= resilience.maxAttempts()) {
            throw e;
        }
        pause(backoff(attempt), e);
    }

    /** Equal jitter: half the exponential step fixed, half random; the step is capped at ten times the base. */
    private Duration backoff(int attempt) {
        long base = resilience.retryBackoff().toMillis();
        long step = Math.min(base * 10, base << Math.min(attempt - 1, 20));
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private void pause(Duration d, OAuthTokenException cause) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    String grantName() {
        return client.get().grantName();
    }

    EndpointGuard guard() {
        return guard;
    }
}
