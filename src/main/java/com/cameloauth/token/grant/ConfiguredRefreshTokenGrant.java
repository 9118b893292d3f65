package com.cameloauth.token.grant;

import com.cameloauth.token.OAuthTokenException;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/**
 * The base grant of policy {@code refresh-token}: the configured refresh token is seeded into the store and spent by
 * the {@link RefreshTokenGrant} in front (rotations are stored). Once no usable refresh token is left (the server
 * answered {@code invalid_grant}, or it expired) there is nothing the engine can send: this grant refuses, without a
 * request, with a message that says to replace the configured refresh token.
 */
public final class ConfiguredRefreshTokenGrant implements TokenGrant {

    @Override
    public AuthorizationGrant next(GrantContext context) {
        throw new OAuthTokenException(context.connection().name(), "the configured refresh token was refused by the"
                + " token endpoint (or has expired): replace oauth.connections." + context.connection().name()
                + ".refresh-token in configuration and restart", 0, "invalid_grant", false, null);
    }

    @Override
    public String name() {
        return GrantType.REFRESH_TOKEN.getValue();
    }
}
