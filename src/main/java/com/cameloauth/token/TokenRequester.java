package com.cameloauth.token;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;

/**
 * One token request, one attempt, answered with a {@link TokenResponse} or a typed {@link OAuthTokenException}: the
 * standard {@link TokenEndpointClient}, or {@link CustomTokenClient} for a templated custom flow. Both send through
 * the bounded sender.
 */
interface TokenRequester {

    /** One request with the grant's first request (no token set yet); the access token only. */
    Token requestToken();

    /** One request with {@code grant}. */
    TokenResponse request(AuthorizationGrant grant);

    /** The grant's name for logs, metrics and events. */
    String grantName();

    /**
     * After {@code invalid_client}: whether the client's credentials changed in configuration (a rotated secret or key
     * file), so that one more request is worth making. Requesters without client credentials of their own say no.
     */
    default boolean reloadCredentials() {
        return false;
    }
}
