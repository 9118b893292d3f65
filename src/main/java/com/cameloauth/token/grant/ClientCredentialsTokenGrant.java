package com.cameloauth.token.grant;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;

/** The client credentials grant (RFC 6749 4.4): the client acts on its own behalf. */
public final class ClientCredentialsTokenGrant implements TokenGrant {
    private static final ClientCredentialsGrant GRANT = new ClientCredentialsGrant();

    @Override
    public AuthorizationGrant next(GrantContext context) {
        return GRANT;
    }

    @Override
    public String name() {
        return GRANT.getType().getValue();
    }
}
