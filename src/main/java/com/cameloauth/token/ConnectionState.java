package com.cameloauth.token;

/** What a connection's token lifecycle is doing, as shown to operators. */
public enum ConnectionState {
    /** No token requested yet. */
    IDLE,
    /** A valid token is cached. */
    ACTIVE,
    /** The last token expired or was rejected and no new one is cached yet. */
    EXPIRED,
    /** The token endpoint is failing or asked us to wait; callers fail fast until the block ends. */
    UNAVAILABLE,
    /** The server rejected the client or the request; the configuration needs fixing. */
    FAILED
}
