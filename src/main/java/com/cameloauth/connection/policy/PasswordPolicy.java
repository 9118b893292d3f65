package com.cameloauth.connection.policy;

import java.util.Objects;

import com.cameloauth.connection.Policy;
import com.cameloauth.connection.Secret;

/**
 * {@code password}: the resource owner password credentials grant (RFC 6749 4.3). Deprecated by OAuth 2.1; it works,
 * and the engine warns once per connection.
 */
public record PasswordPolicy(ClientRegistration client, String username, Secret password)
        implements SecurityPolicy, OAuthPolicy {

    public PasswordPolicy {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public Policy policy() {
        return Policy.PASSWORD;
    }
}
