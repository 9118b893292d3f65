package com.cameloauth.token.grant;

import java.util.Objects;

import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.store.TokenSet;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;

/**
 * The refresh step in front of a base grant (RFC 6749 6): while the current token set has a usable refresh token,
 * the next request refreshes with it; otherwise the base grant makes the request. Works for every base grant whose
 * server returns refresh tokens; a base grant that never gets one (client credentials, usually) is unaffected.
 */
public final class RefreshTokenGrant implements TokenGrant {
    private final TokenGrant base;

    public RefreshTokenGrant(TokenGrant base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    @Override
    public AuthorizationGrant next(GrantContext context) {
        return context.usableRefreshToken()
                .<AuthorizationGrant>map(rt -> new com.nimbusds.oauth2.sdk.RefreshTokenGrant(new RefreshToken(rt)))
                .orElseGet(() -> base.next(context));
    }

    /** Whether {@code grant} spends a refresh token. */
    public static boolean isRefresh(AuthorizationGrant grant) {
        // a custom template's request is a refresh when it carries the refresh token
        return GrantType.REFRESH_TOKEN.equals(grant.getType())
                || grant instanceof CustomTokenGrant.Request r && r.refreshToken().isPresent();
    }

    /** The base grant's name: a refresh is part of its lifecycle. */
    @Override
    public String name() {
        return base.name();
    }

    @Override
    public boolean needsUser() {
        return base.needsUser();
    }

    @Override
    public void onResult(GrantContext context, TokenSet result) {
        base.onResult(context, result);
    }

    @Override
    public void onError(GrantContext context, OAuthTokenException error) {
        base.onError(context, error);
    }

    public TokenGrant base() {
        return base;
    }
}
