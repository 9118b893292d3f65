package com.cameloauth.connection.policy;

import java.util.Objects;

import com.cameloauth.connection.Policy;
import com.cameloauth.connection.Secret;

/** {@code api-key}: a fixed API key sent in a header. */
public record ApiKeyPolicy(String headerName, Secret apiKey) implements SecurityPolicy {

    public ApiKeyPolicy {
        Objects.requireNonNull(headerName, "headerName");
        Objects.requireNonNull(apiKey, "apiKey");
    }

    @Override
    public Policy policy() {
        return Policy.API_KEY;
    }
}
