package com.cameloauth.token;

/** What a connection's token lifecycle is doing, as shown to operators. */
public enum ConnectionState {
    /** No token requested yet. */
    IDLE,
    /** A valid token is cached and served, even while its refresh is failing or the token endpoint is blocked. */
    ACTIVE,
    /** The last token expired or was rejected and no new one is cached yet. */
    EXPIRED,
    /**
     * No valid token, and none can be had without a user: the connection was never consented to, or its refresh token
     * was rejected. Callers fail fast with {@link ConsentRequiredException} until someone consents.
     */
    NEEDS_CONSENT,
    /** No valid token: the token endpoint is failing or asked us to wait; callers fail fast until a block ends. */
    UNAVAILABLE,
    /** No valid token: the server rejected the client or the request; the configuration needs fixing. */
    FAILED
}
