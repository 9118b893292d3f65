package com.cameloauth.token;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.store.StoreKey;
import com.cameloauth.token.store.TokenSet;
import com.cameloauth.token.store.TokenStore;
import com.cameloauth.token.store.Versioned;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;

import net.minidev.json.JSONObject;

/**
 * Revocation (RFC 7009) and introspection (RFC 7662) for one OAuth connection, with its client authentication, through
 * the bounded sender.
 */
final class TokenOperations {
    /** Members of an introspection answer that could carry a token: never passed on. */
    private static final Set<String> TOKEN_MEMBERS = Set.of("token", "access_token", "refresh_token", "id_token");

    private final String name;
    private final ConnectionEndpoints endpoints;
    private final TokenManager manager;
    private final TokenStore store;
    private final StoreKey key;
    private final TokenTransport transport;
    private final boolean consentBased;

    TokenOperations(String name, ConnectionEndpoints endpoints, TokenManager manager, TokenStore store, StoreKey key,
            TokenTransport transport, boolean consentBased) {
        this.name = name;
        this.endpoints = endpoints;
        this.manager = manager;
        this.store = store;
        this.key = key;
        this.transport = transport;
        this.consentBased = consentBased;
    }

    /**
     * Revokes the refresh token, then the access token, at the revocation endpoint when one is known, then drops the
     * stored token set and the cached token whatever the server said. Consent-based connections need consent again.
     */
    RevocationResult revoke() {
        Optional<TokenSet> stored = loadStored();
        List<String> accessTokens = new ArrayList<>();
        stored.map(TokenSet::accessToken).filter(v -> !v.isBlank()).ifPresent(accessTokens::add);
        manager.cachedToken().map(Token::value).filter(v -> !accessTokens.contains(v)).ifPresent(accessTokens::add);
        Optional<String> refreshToken = stored.flatMap(TokenSet::refreshToken).filter(v -> !v.isBlank());

        List<String> revoked = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Optional<URI> endpoint = Optional.empty();
        ConnectionDefinition d = null;
        try {
            d = endpoints.definition();
            endpoint = endpoints.policy().client().server().revocationUrl();
        } catch (OAuthTokenException e) {
            failures.add(e.getMessage());
        }
        if (endpoint.isPresent()) {
            ServerCallClient calls = new ServerCallClient(d, transport);
            if (refreshToken.isPresent()) {
                send(calls, endpoint.get(), new RefreshToken(refreshToken.get()), "refresh_token", revoked, failures);
            }
            for (String access : accessTokens) {
                send(calls, endpoint.get(), new BearerAccessToken(access), "access_token", revoked, failures);
            }
        }
        String detail = endpoint.isPresent() ? "revoked at the server " + (failures.isEmpty() ? "(" + String.join(", ",
                revoked) + ")" : "with failures") + "; the cached token and the stored token set were dropped"
                : "no revocation endpoint: the cached token and the stored token set were dropped here only";
        manager.forget(detail);
        if (consentBased) {
            manager.consentNeeded();
        }
        return new RevocationResult(name, revoked, failures, endpoint.isPresent(), manager.state());
    }

    private void send(ServerCallClient calls, URI endpoint, com.nimbusds.oauth2.sdk.token.Token token, String type,
            List<String> revoked, List<String> failures) {
        try {
            HTTPRequest request = new TokenRevocationRequest(endpoint, authentication(), token).toHTTPRequest();
            calls.send(request, "revocation");
            if (!revoked.contains(type)) {
                revoked.add(type);
            }
        } catch (OAuthTokenException e) {
            failures.add(type + ": " + e.getMessage());
        }
    }

    /** Asks the introspection endpoint about the current access token (fetching one if none is valid). */
    IntrospectionResult introspect() {
        ConnectionDefinition d = endpoints.definition();
        URI endpoint = endpoints.policy().client().server().introspectionUrl().orElseThrow(() -> new OAuthTokenException(
                name, "no introspection endpoint: set the key introspection-url, or issuer when its metadata has one",
                0, null, false, null));
        Token token = manager.currentToken();
        HTTPRequest request = new TokenIntrospectionRequest(endpoint, authentication(),
                new BearerAccessToken(token.value())).toHTTPRequest();
        ServerCallClient calls = new ServerCallClient(d, transport);
        JSONObject json = calls.json(calls.send(request, "introspection"), "introspection");
        try {
            TokenIntrospectionSuccessResponse.parse(json);
        } catch (ParseException e) {
            throw new InvalidTokenResponseException(name, "introspection answer is not an RFC 7662 answer (no boolean"
                    + " active)", 200);
        }
        return new IntrospectionResult(name, token.fingerprint(), withoutTokens(json, token.value()));
    }

    /** The answer minus every member that is or holds the token (a server may echo it). */
    static Map<String, Object> withoutTokens(Map<String, Object> json, String token) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            Object v = e.getValue();
            if (v == null || TOKEN_MEMBERS.contains(e.getKey()) || String.valueOf(v).contains(token)) {
                continue;
            }
            result.put(e.getKey(), v);
        }
        return result;
    }

    private com.nimbusds.oauth2.sdk.auth.ClientAuthentication authentication() {
        TokenEndpointClient client = endpoints.client();
        return client.authenticator().forRequest(endpoints.definition().oauthClient().orElseThrow().tokenUrl());
    }

    private Optional<TokenSet> loadStored() {
        try {
            return store.load(key).map(Versioned::value);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
