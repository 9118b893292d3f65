package com.cameloauth.token.grant;

import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.store.TokenSet;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;

/**
 * One OAuth grant: what to put in the next token request, given what the engine holds now. One class per grant; the
 * engine does the rest (single-flight, store, retries). Spring Security's one-provider-per-grant shape.
 */
public interface TokenGrant {

    /** The grant for the next token request, built with Nimbus. */
    AuthorizationGrant next(GrantContext context);

    /** The grant's name for logs, metrics and events, e.g. {@code client_credentials}. */
    String name();

    /**
     * Whether a new token needs a user (consent in a browser) once no refresh token is left: true for the
     * authorization code grant; false for grants the engine can start over on its own (client credentials, password).
     */
    default boolean needsUser() {
        return false;
    }

    /** The token set the request of {@link #next} produced (a rotated refresh token included). */
    default void onResult(GrantContext context, TokenSet result) {
        // most grants keep no state
    }

    /** The request of {@link #next} failed, e.g. {@code invalid_grant} for a refresh token. */
    default void onError(GrantContext context, OAuthTokenException error) {
        // most grants keep no state
    }
}
