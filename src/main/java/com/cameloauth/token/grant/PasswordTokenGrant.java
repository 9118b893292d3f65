package com.cameloauth.token.grant;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.connection.policy.PasswordPolicy;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.auth.Secret;

/**
 * The resource owner password credentials grant (RFC 6749 4.3). OAuth 2.1 removes it (RFC 9700 2.4): it works, and a
 * deprecation warning is logged once per connection, when the grant is built. The password is never logged.
 */
public final class PasswordTokenGrant implements TokenGrant {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordTokenGrant.class);
    private final ResourceOwnerPasswordCredentialsGrant grant;

    public PasswordTokenGrant(String connection, PasswordPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        this.grant = new ResourceOwnerPasswordCredentialsGrant(policy.username(), new Secret(policy.password().reveal()));
        LOG.warn("oauth connection '{}': policy 'password' (the resource owner password grant) is deprecated by OAuth"
                + " 2.1 (RFC 9700 2.4); move to 'authorization-code' when the server allows it", connection);
    }

    @Override
    public AuthorizationGrant next(GrantContext context) {
        return grant;
    }

    @Override
    public String name() {
        return grant.getType().getValue();
    }
}
