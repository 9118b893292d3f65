package com.cameloauth.token;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.ConnectionDefinition.OAuthClient;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * How the client authenticates one token request. Asked for every request, so that a method that signs (private_key_jwt,
 * client_secret_jwt: a fresh assertion with its own jti and a short exp per request) fits in without changing the
 * engine.
 */
@FunctionalInterface
interface ClientAuthenticator {

    /** The client authentication for one request to {@code tokenUrl} (the audience of a signed assertion). */
    ClientAuthentication forRequest(URI tokenUrl);

    /**
     * After the token endpoint refused the client ({@code invalid_client}): reads the client's credentials (secret,
     * key file) again from configuration and uses them from now on if they changed. Returns whether they changed,
     * i.e. whether one more request is worth it. By default there is nothing to read again.
     */
    default boolean reload() {
        return false;
    }

    /** The secret in use when it differs from the configured one at start (after a {@link #reload}): never shown. */
    default java.util.Optional<com.cameloauth.connection.Secret> reloadedSecret() {
        return java.util.Optional.empty();
    }

    /** The authenticator a connection's client settings ask for: none without a secret, else basic or post. */
    static ClientAuthenticator of(OAuthClient client) {
        ClientID id = new ClientID(client.clientId());
        if (client.clientSecret().isEmpty()) {
            return none(id);
        }
        Secret secret = new Secret(client.clientSecret().get().reveal());
        return client.clientAuth() == ClientAuthMethod.CLIENT_SECRET_POST ? secretPost(id, secret) : secretBasic(id, secret);
    }

    /** {@code client_secret_basic}: the id and secret in the Authorization header. */
    static ClientAuthenticator secretBasic(ClientID id, Secret secret) {
        ClientSecretBasic basic = new ClientSecretBasic(id, secret);
        return tokenUrl -> basic;
    }

    /** {@code client_secret_post}: the id and secret in the form body. */
    static ClientAuthenticator secretPost(ClientID id, Secret secret) {
        ClientSecretPost post = new ClientSecretPost(id, secret);
        return tokenUrl -> post;
    }

    /** {@code none}: a public client, identified by {@code client_id} in the form body (RFC 6749 3.2.1). */
    static ClientAuthenticator none(ClientID id) {
        PublicClient pub = new PublicClient(id);
        return tokenUrl -> pub;
    }

    /** A public client's "authentication": only its client_id, in the body. */
    final class PublicClient extends ClientAuthentication {
        PublicClient(ClientID id) {
            super(ClientAuthenticationMethod.NONE, id);
        }

        @Override
        public Set<String> getFormParameterNames() {
            return Set.of("client_id");
        }

        @Override
        public void applyTo(HTTPRequest request) {
            Map<String, List<String>> params;
            try {
                params = new LinkedHashMap<>(request.getBodyAsFormParameters());
            } catch (ParseException e) {
                params = new LinkedHashMap<>();
            }
            params.put("client_id", List.of(getClientID().getValue()));
            request.setBody(URLUtils.serializeParameters(params));
        }
    }
}
