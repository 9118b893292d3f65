package com.cameloauth.token.grant;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;

/** One OAuth grant: what to put in the next token request. One class per grant; the engine does the rest. */
public interface TokenGrant {

    /** The grant for the next token request, built with Nimbus. */
    AuthorizationGrant nextGrant();

    /** The grant's name for logs, metrics and events, e.g. {@code client_credentials}. */
    String name();
}
