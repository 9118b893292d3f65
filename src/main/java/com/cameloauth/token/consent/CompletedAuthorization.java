package com.cameloauth.token.consent;

import java.net.URI;
import java.util.Objects;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

/**
 * A callback that passed every check ({@link PendingAuthorizations#complete}): what the token request needs. Redeem
 * it once, at once (authorization codes are short-lived and single use). {@code toString} shows neither the code nor
 * the verifier.
 *
 * @param client   the connection's client registration the transaction was started with
 * @param code     the authorization code
 * @param verifier the PKCE verifier of this transaction
 */
public record CompletedAuthorization(ConsentClient client, AuthorizationCode code, CodeVerifier verifier) {

    public CompletedAuthorization {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(verifier, "verifier");
    }

    public String connection() {
        return client.connection();
    }

    /** The redirect URI of the authorization request, which the token request must repeat exactly. */
    public URI redirectUri() {
        return client.redirectUri();
    }

    /** The grant of the token request (RFC 6749 4.1.3 with RFC 7636's {@code code_verifier}). */
    public AuthorizationCodeGrant grant() {
        return new AuthorizationCodeGrant(code, client.redirectUri(), verifier);
    }

    @Override
    public String toString() {
        return "CompletedAuthorization[connection=" + client.connection() + ", code=******, verifier=******]";
    }
}
