package com.cameloauth.token;

/**
 * The connection needs a user's consent before it can get a token: it never had one, or the server rejected its
 * refresh token ({@code invalid_grant}). Not retryable, and fail-fast: calls are turned away without a request until
 * someone consents. The message says where.
 */
public class ConsentRequiredException extends OAuthTokenException {

    public ConsentRequiredException(String connection, OAuthTokenException cause) {
        super(connection, "needs a user's consent before it can get a token"
                + (cause == null ? "" : " (the server rejected the refresh token)")
                + ": open GET /oauth/consent/" + connection + " in the Quarkus app, or get the consent URL from"
                + " OAuthConnections.beginConsent(\"" + connection + "\") or an oauth:" + connection
                + "?operation=consent-url step", cause == null ? 0 : cause.httpStatus(),
                cause == null ? null : cause.errorCode().orElse(null), false, cause);
        markFailFast();
    }
}
