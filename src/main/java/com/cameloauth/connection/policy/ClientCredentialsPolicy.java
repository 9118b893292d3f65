package com.cameloauth.connection.policy;

import java.util.Objects;

import com.cameloauth.connection.Policy;

/** {@code client-credentials}: the client acts for itself (RFC 6749 4.4); it must be a confidential client. */
public record ClientCredentialsPolicy(ClientRegistration client) implements SecurityPolicy, OAuthPolicy {

    public ClientCredentialsPolicy {
        Objects.requireNonNull(client, "client");
        if (client.isPublic()) {
            throw new IllegalArgumentException("client-credentials needs a confidential client (a client secret)");
        }
    }

    @Override
    public Policy policy() {
        return Policy.CLIENT_CREDENTIALS;
    }
}
