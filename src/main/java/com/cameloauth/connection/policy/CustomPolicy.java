package com.cameloauth.connection.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import com.cameloauth.connection.Policy;
import com.cameloauth.connection.Secret;

/**
 * {@code custom}: a token endpoint that does not speak RFC 6749, described by a request template and by where the
 * token is in the answer (Oracle Integration Cloud's custom two-legged policy). Templates hold placeholders only:
 * {@code {client-id}}, {@code {client-secret}}, {@code {scope}}, {@code {refresh-token}}, {@code {code}},
 * {@code {code-verifier}}, {@code {redirect-uri}} and {@code {value.<name>}}; each value is escaped for where it lands
 * (URL, form, JSON, header). With {@link #consent} the flow is three-legged: a user's consent (authorization code with
 * PKCE, as for {@code authorization-code}) gives the code that the template redeems.
 *
 * @param clientId        the client id, for {@code {client-id}}
 * @param clientSecret    the client secret, for {@code {client-secret}}
 * @param scopes          the scopes, for {@code {scope}} (space-separated)
 * @param values          named values for {@code {value.<name>}}; secrets
 * @param request         the token request template
 * @param response        where the token, its lifetime, type and refresh token are in the answer
 * @param placement       where the token goes on API calls
 * @param queryParameter  the query parameter for {@link TokenPlacement#QUERY}
 * @param consent         the three-legged flow's consent ({@code authorization-url}); empty for two-legged
 */
public record CustomPolicy(Optional<String> clientId, Optional<Secret> clientSecret, List<String> scopes,
        Map<String, Secret> values, RequestTemplate request, ResponseFields response, TokenPlacement placement,
        String queryParameter, Optional<Consent> consent) implements SecurityPolicy {

    /** A two-legged custom flow. */
    public CustomPolicy(Optional<String> clientId, Optional<Secret> clientSecret, List<String> scopes,
            Map<String, Secret> values, RequestTemplate request, ResponseFields response, TokenPlacement placement,
            String queryParameter) {
        this(clientId, clientSecret, scopes, values, request, response, placement, queryParameter, Optional.empty());
    }

    public CustomPolicy {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        scopes = List.copyOf(scopes);
        values = Map.copyOf(values);
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(queryParameter, "queryParameter");
        Objects.requireNonNull(consent, "consent");
    }

    /** Whether a user's consent starts the flow (three-legged). */
    public boolean threeLegged() {
        return consent.isPresent();
    }

    @Override
    public Policy policy() {
        return Policy.CUSTOM;
    }

    @Override
    public String toString() {
        return "CustomPolicy[clientId=" + clientId.orElse("") + ", clientSecret=" + clientSecret.map(s -> "******")
                .orElse("none") + ", values=" + new TreeMap<>(values).keySet() + ", request=" + request + ", response="
                + response + ", placement=" + placement + consent.map(c -> ", consent=" + c.authorizationUrl()).orElse("")
                + "]";
    }

    /**
     * The consent of a three-legged custom flow.
     *
     * @param authorizationUrl where the user's browser is sent ({@code authorization-url})
     * @param redirectUri      the registered callback ({@code redirect-uri}), also for {@code {redirect-uri}}
     * @param issuer           when set, a callback whose {@code iss} differs is refused (RFC 9207)
     */
    public record Consent(java.net.URI authorizationUrl, java.net.URI redirectUri, Optional<String> issuer) {
        public Consent {
            Objects.requireNonNull(authorizationUrl, "authorizationUrl");
            Objects.requireNonNull(redirectUri, "redirectUri");
            Objects.requireNonNull(issuer, "issuer");
        }
    }

    /** How the body's placeholder values are escaped, and its Content-Type. */
    public enum BodyFormat {
        FORM("application/x-www-form-urlencoded; charset=UTF-8"), JSON("application/json");

        private final String contentType;

        BodyFormat(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }
    }

    /** Where the access token goes on API calls. */
    public enum TokenPlacement {
        /** The connection's header-name, with header-prefix. */
        HEADER,
        /** A query parameter; only with allow-token-in-query=true (RFC 6750 5.3: URLs get logged). */
        QUERY
    }

    /**
     * The token request, as templates.
     *
     * @param method  GET or POST
     * @param url     the URL template (placeholders are percent-encoded)
     * @param headers header name to value template (placeholders must not hold line breaks)
     * @param body    the body template, if any (POST only)
     * @param format  how the body's placeholder values are escaped
     */
    public record RequestTemplate(String method, String url, Map<String, String> headers, Optional<String> body,
            BodyFormat format) {
        public RequestTemplate {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(format, "format");
        }

        /** Templates are not secrets (values are), but a URL may carry a key someone wrote inline: show its host only. */
        @Override
        public String toString() {
            return "RequestTemplate[" + method + " " + url.replaceAll("\\?.*$", "?...") + ", headers=" + new TreeMap<>(headers)
                    .keySet() + ", body=" + body.map(b -> format.name().toLowerCase()).orElse("none") + "]";
        }
    }

    /**
     * Where each field is in the token response: {@code $.a.b} (JSON path of names and [indexes]), {@code /a/b} (JSON
     * pointer) or {@code regex:...} with one group.
     */
    public record ResponseFields(String accessToken, Optional<String> expiresIn, Optional<String> tokenType,
            Optional<String> refreshToken) {
        public ResponseFields {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(expiresIn, "expiresIn");
            Objects.requireNonNull(tokenType, "tokenType");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }
    }
}
