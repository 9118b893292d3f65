package com.cameloauth.token;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition.ApiKeyCredentials;
import com.cameloauth.connection.ConnectionDefinition.BasicCredentials;
import com.cameloauth.connection.ConnectionDefinition.StaticCredentials;

/** Credentials that never change (basic, api-key, none): a 401 cannot be fixed by asking again. */
final class StaticAuthorizer implements RequestAuthorizer {
    private final Authorization authorization;

    private StaticAuthorizer(Authorization authorization) {
        this.authorization = authorization;
    }

    static StaticAuthorizer none() {
        return new StaticAuthorizer(Authorization.NONE);
    }

    static StaticAuthorizer of(StaticCredentials credentials) {
        if (credentials instanceof BasicCredentials b) {
            String pair = b.username() + ':' + b.password().reveal();
            return new StaticAuthorizer(new Authorization("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)), null));
        }
        ApiKeyCredentials k = (ApiKeyCredentials) credentials;
        return new StaticAuthorizer(new Authorization(k.headerName(), k.apiKey().reveal(), null));
    }

    @Override
    public Authorization authorize() {
        return authorization;
    }

    @Override
    public Optional<Authorization> afterRejection(Authorization rejected) {
        return Optional.empty();
    }
}
