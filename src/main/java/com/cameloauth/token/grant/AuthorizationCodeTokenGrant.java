package com.cameloauth.token.grant;

import com.cameloauth.token.ConsentRequiredException;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;

/**
 * The authorization code grant (RFC 6749 4.1) as a base grant: the code itself comes once, from the consent callback
 * ({@code OAuthConnections.completeConsent}); afterwards tokens come from the refresh token (put a
 * {@link RefreshTokenGrant} in front). Without a refresh token there is nothing the engine can send: a user must
 * consent again, so {@link #next} throws {@link ConsentRequiredException}.
 */
public final class AuthorizationCodeTokenGrant implements TokenGrant {

    @Override
    public AuthorizationGrant next(GrantContext context) {
        throw new ConsentRequiredException(context.connection().name(), null);
    }

    @Override
    public String name() {
        return GrantType.AUTHORIZATION_CODE.getValue();
    }

    @Override
    public boolean needsUser() {
        return true;
    }
}
