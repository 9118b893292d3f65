package com.cameloauth.connection.policy;

import java.util.Objects;

import com.cameloauth.connection.Policy;
import com.cameloauth.connection.Secret;

/** {@code refresh-token}: access tokens come from a refresh token supplied by configuration (RFC 6749 6). */
public record RefreshTokenPolicy(ClientRegistration client, Secret refreshToken) implements SecurityPolicy, OAuthPolicy {

    public RefreshTokenPolicy {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public Policy policy() {
        return Policy.REFRESH_TOKEN;
    }
}
