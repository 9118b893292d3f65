package com.cameloauth.connection.policy;

import java.util.Objects;

import com.cameloauth.connection.Policy;

/**
 * {@code oidc-client} (Quarkus only): tokens come from the named {@code quarkus.oidc-client.<name>}; the engine still
 * caches them, refreshes ahead of expiry, replays once on 401, and reports events and health.
 *
 * @param clientName the name of the Quarkus OIDC client
 */
public record OidcClientPolicy(String clientName) implements SecurityPolicy {

    public OidcClientPolicy {
        Objects.requireNonNull(clientName, "clientName");
    }

    @Override
    public Policy policy() {
        return Policy.OIDC_CLIENT;
    }
}
