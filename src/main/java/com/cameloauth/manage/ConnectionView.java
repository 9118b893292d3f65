package com.cameloauth.manage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an operator sees of a connection: definition, state, token expiry and fingerprint, last error and counts.
 * Never a secret, token or assertion.
 *
 * @param name              the connection name
 * @param policy            the policy value, e.g. {@code client-credentials}
 * @param baseUrl           the API base URL
 * @param tokenEndpointHost host (and port) of the token endpoint; null for policies without one
 * @param scopes            configured scopes
 * @param state             IDLE, ACTIVE, EXPIRED, NEEDS_CONSENT, FAILED or UNAVAILABLE; STATIC for static credentials
 * @param tokenExpiresAt    expiry of the cached token, null when none is cached
 * @param tokenFingerprint  fingerprint of the cached token (a short hash, safe to show), null when none
 * @param lastRefresh       when a token was last obtained, null if never
 * @param lastError         the last token failure, null when the last request succeeded
 * @param counts            token requests ok and failed, replays after 401, blocks; since start
 * @param consentUrl        where an operator gives consent; null for policies that need none
 */
public record ConnectionView(String name, String policy, String baseUrl, String tokenEndpointHost, List<String> scopes,
        String state, Instant tokenExpiresAt, String tokenFingerprint, Instant lastRefresh, LastError lastError,
        Map<String, Long> counts, String consentUrl) {

    public ConnectionView {
        scopes = List.copyOf(scopes);
        counts = Map.copyOf(counts);
    }

    /**
     * A token failure, safe to show.
     *
     * @param code       the OAuth error code, e.g. {@code invalid_client}; null when the server sent none
     * @param httpStatus the token endpoint's HTTP status; 0 when there was no answer
     * @param message    the engine's message with URLs' user info and queries masked
     */
    public record LastError(String code, int httpStatus, String message) {
    }
}
