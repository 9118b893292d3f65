package com.cameloauth.connection;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.cameloauth.connection.policy.ApiKeyPolicy;
import com.cameloauth.connection.policy.AuthorizationCodePolicy;
import com.cameloauth.connection.policy.AuthorizationServer;
import com.cameloauth.connection.policy.BasicPolicy;
import com.cameloauth.connection.policy.ClientAssertion;
import com.cameloauth.connection.policy.ClientCredentialsPolicy;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.connection.policy.CustomPolicy;
import com.cameloauth.connection.policy.NonePolicy;
import com.cameloauth.connection.policy.OAuth1Policy;
import com.cameloauth.connection.policy.OidcClientPolicy;
import com.cameloauth.connection.policy.OAuth1Policy.SignatureMethod;
import com.cameloauth.connection.policy.PasswordPolicy;
import com.cameloauth.connection.policy.RefreshTokenPolicy;
import com.cameloauth.connection.policy.SecurityPolicy;
import com.cameloauth.connection.policy.TokenExchangePolicy;

/**
 * Reads the {@code policy} key and the keys of that policy into its {@link SecurityPolicy} record: one method per
 * policy, so a new policy adds a record and a method. Keys of other policies are ignored.
 */
final class SecurityPolicyReader {

    /** How far the reading goes: what the token engine runs, or every policy that has a record. */
    enum Support {
        /** The policies marked available, with a configured token-url: what the token engine runs today. */
        ENGINE,
        /**
         * Also the policies whose record exists but that the engine does not run yet, and endpoints left to discovery
         * from the issuer: for the model's own tests until the engine is wired for them.
         */
        MODEL
    }

    /** The policies that have a record and a reader. */
    private static final Set<Policy> READABLE = EnumSet.of(Policy.CLIENT_CREDENTIALS, Policy.PASSWORD,
            Policy.AUTHORIZATION_CODE, Policy.REFRESH_TOKEN, Policy.BASIC, Policy.API_KEY, Policy.OAUTH1, Policy.NONE,
            Policy.JWT_BEARER, Policy.TOKEN_EXCHANGE, Policy.CUSTOM, Policy.OIDC_CLIENT);

    private final OAuthConfig.Connection c;
    private final KeyReader keys;
    private final Support support;

    SecurityPolicyReader(OAuthConfig.Connection c, KeyReader keys, Support support) {
        this.c = c;
        this.keys = keys;
        this.support = support;
    }

    /** The policy, or null when a key has a problem (already reported). */
    SecurityPolicy read() {
        Policy policy = policy();
        if (policy == null) {
            return null;
        }
        return switch (policy) {
            case CLIENT_CREDENTIALS -> clientCredentials();
            case PASSWORD -> password();
            case AUTHORIZATION_CODE -> authorizationCode();
            case REFRESH_TOKEN -> refreshToken();
            case BASIC -> basic();
            case API_KEY -> apiKey();
            case OAUTH1 -> oauth1();
            case NONE -> new NonePolicy();
            case JWT_BEARER -> new JwtSettingsReader(c, keys).jwtBearer(client(Policy.JWT_BEARER));
            case TOKEN_EXCHANGE -> tokenExchange();
            case CUSTOM -> custom();
            case OIDC_CLIENT -> oidcClient();
            default -> throw new IllegalStateException("no reader for policy " + policy);
        };
    }

    private Policy policy() {
        String value = keys.required("policy", c.policy());
        if (value == null) {
            return null;
        }
        if (value.trim().equalsIgnoreCase("implicit")) {
            keys.problem("policy", Policy.IMPLICIT_REFUSED);
            return null;
        }
        Optional<Policy> policy = Policy.fromValue(value);
        if (policy.isEmpty()) {
            keys.problem("policy", "unknown policy '" + HttpHeaderNames.printable(value.trim()) + "'"
                    + Suggestions.didYouMean(value, Arrays.stream(Policy.values()).map(Policy::value).toList())
                    + " (use one of: " + Policy.availableValues() + ")");
            return null;
        }
        boolean readable = policy.get().isAvailable() || support == Support.MODEL && READABLE.contains(policy.get());
        if (!readable) {
            keys.problem("policy", "policy '" + value.trim() + "' is not available in this version (available: "
                    + Policy.availableValues() + ")");
            return null;
        }
        return policy.get();
    }

    private SecurityPolicy clientCredentials() {
        ClientRegistration client = client(Policy.CLIENT_CREDENTIALS);
        return client == null ? null : new ClientCredentialsPolicy(client);
    }

    private SecurityPolicy password() {
        ClientRegistration client = client(Policy.PASSWORD);
        String username = keys.required("username", c.username());
        String password = keys.required("password", c.password());
        return client == null || username == null || password == null ? null
                : new PasswordPolicy(client, username, Secret.of(password));
    }

    private SecurityPolicy authorizationCode() {
        ClientRegistration client = client(Policy.AUTHORIZATION_CODE);
        URI redirectUri = redirectUri();
        if (client != null && client.server().authorizationUrl().isEmpty() && client.server().issuer().isEmpty()) {
            keys.missing("authorization-url", ", or issuer to discover it");
            return null;
        }
        return client == null || redirectUri == null ? null : new AuthorizationCodePolicy(client, redirectUri);
    }

    private SecurityPolicy refreshToken() {
        ClientRegistration client = client(Policy.REFRESH_TOKEN);
        String refreshToken = keys.required("refresh-token", c.refreshToken());
        return client == null || refreshToken == null ? null : new RefreshTokenPolicy(client, Secret.of(refreshToken));
    }

    private SecurityPolicy basic() {
        String user = keys.required("username", c.username());
        String password = keys.required("password", c.password());
        return user == null || password == null ? null : new BasicPolicy(user, Secret.of(password));
    }

    private SecurityPolicy apiKey() {
        String key = keys.required("api-key", c.apiKey());
        String headerName = keys.headerName("api-key-header", c.apiKeyHeader(), "X-API-Key");
        return key == null ? null : new ApiKeyPolicy(headerName, Secret.of(key));
    }

    /** OAuth 1.0a one-legged: consumer and token credentials, an optional realm and the signature method. */
    private SecurityPolicy oauth1() {
        String consumerKey = keys.required("consumer-key", c.consumerKey());
        String consumerSecret = keys.required("consumer-secret", c.consumerSecret());
        String tokenId = keys.required("token-id", c.tokenId());
        String tokenSecret = keys.required("token-secret", c.tokenSecret());
        Optional<String> realm = keys.nonBlank("realm", c.realm()).map(String::trim);
        boolean badRealm = realm.isPresent()
                && !realm.get().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\');
        if (badRealm) {
            keys.problem("realm", "'" + HttpHeaderNames.printable(realm.get()) + "' must be printable ASCII without"
                    + " quotes or backslashes (NetSuite: the account id, such as 1234567_SB1)");
        }
        SignatureMethod method = signatureMethod();
        return consumerKey == null || consumerSecret == null || tokenId == null || tokenSecret == null || badRealm
                || method == null ? null
                : new OAuth1Policy(consumerKey, Secret.of(consumerSecret), tokenId, Secret.of(tokenSecret), realm, method);
    }

    /** RFC 8693: the subject token from another connection or, opted in, from each message's header. */
    private SecurityPolicy tokenExchange() {
        ClientRegistration client = client(Policy.TOKEN_EXCHANGE);
        int before = keys.problemCount();
        Optional<String> subjectConnection = keys.nonBlank("subject-connection", c.subjectConnection());
        boolean fromHeader = keys.bool("subject-token-from-header", c.subjectTokenFromHeader(), false);
        boolean bad = false;
        if (subjectConnection.isPresent() == fromHeader) {
            keys.problem("subject-connection", subjectConnection.isPresent()
                    ? "is set, and so is subject-token-from-header=true; the subject token comes from one of them"
                    : "missing: set the connection whose token is exchanged, or subject-token-from-header=true to take"
                    + " it from the CamelOAuthSubjectToken header of each message (only where the route controls it)");
            bad = true;
        }
        URI subjectType = tokenType("subject-token-type", c.subjectTokenType())
                .orElse(TokenExchangePolicy.ACCESS_TOKEN_TYPE);
        Optional<URI> requestedType = tokenType("requested-token-type", c.requestedTokenType());
        return client == null || bad || keys.problemCount() > before ? null
                : new TokenExchangePolicy(client, subjectConnection.map(String::trim), fromHeader, subjectType,
                        requestedType);
    }

    /** Quarkus only: the name of a quarkus.oidc-client; whether it exists is checked where Quarkus wires the engine. */
    private SecurityPolicy oidcClient() {
        String name = keys.required("oidc-client-name", c.oidcClientName(), " to the name of a quarkus.oidc-client");
        if (name != null && !name.matches("[A-Za-z0-9_.-]+")) {
            keys.problem("oidc-client-name", "'" + HttpHeaderNames.printable(name) + "' is not the name of a"
                    + " quarkus.oidc-client.<name> (letters, digits, '_', '.', '-')");
            return null;
        }
        return name == null ? null : new OidcClientPolicy(name);
    }

    /** The placeholders a custom template may hold; anything else in braces is literal text. */
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile(
            "\\{(client-id|client-secret|scope|refresh-token|code|code-verifier|redirect-uri|value\\.([A-Za-z0-9_-]+))}");

    /** A custom two-legged flow: a request template and where the token is in the answer. */
    private SecurityPolicy custom() {
        int before = keys.problemCount();
        Optional<String> clientId = keys.nonBlank("client-id", c.clientId());
        Optional<Secret> secret = keys.nonBlank("client-secret", c.clientSecret()).map(Secret::of);
        java.util.Map<String, Secret> values = customValues();
        String method = keys.nonBlank("token-request-method", c.tokenRequestMethod()).orElse("POST").toUpperCase();
        if (!method.equals("POST") && !method.equals("GET")) {
            keys.problem("token-request-method", "'" + HttpHeaderNames.printable(method) + "' is not POST or GET");
        }
        String url = customUrl();
        java.util.Map<String, String> headers = customHeaders();
        Optional<String> body = keys.value("token-request-body", c.tokenRequestBody()).filter(b -> !b.isBlank());
        if (body.isPresent() && method.equals("GET")) {
            keys.problem("token-request-body", "a GET request has no body; put the parameters in token-request-url");
        }
        String format = keys.nonBlank("token-request-content-type", c.tokenRequestContentType()).orElse("form")
                .toLowerCase();
        if (!format.equals("form") && !format.equals("json")) {
            keys.problem("token-request-content-type", "'" + HttpHeaderNames.printable(format) + "' is not form or json");
        }
        for (String[] template : new String[][] {{"token-request-url", url}, {"token-request-body", body.orElse(null)},
                {"token-request-headers", String.join("\n", headers.values())}}) {
            checkPlaceholders(template[0], template[1], clientId.isPresent(), secret.isPresent(), values);
        }
        CustomPolicy.ResponseFields response = new CustomPolicy.ResponseFields(
                field("token-response-access-token", c.tokenResponseAccessToken()).orElse("$.access_token"),
                field("token-response-expires-in", c.tokenResponseExpiresIn()),
                field("token-response-token-type", c.tokenResponseTokenType()),
                field("token-response-refresh-token", c.tokenResponseRefreshToken()));
        String placementValue = keys.nonBlank("token-placement", c.tokenPlacement()).orElse("header").toLowerCase();
        boolean allowQuery = keys.bool("allow-token-in-query", c.allowTokenInQuery(), false);
        CustomPolicy.TokenPlacement placement = CustomPolicy.TokenPlacement.HEADER;
        if (placementValue.equals("query")) {
            placement = CustomPolicy.TokenPlacement.QUERY;
            if (!allowQuery) {
                keys.problem("token-placement", "'query' puts the token in URLs, which servers, proxies and browsers log"
                        + " (RFC 6750 5.3); keep 'header', or set allow-token-in-query=true if the API accepts nothing else");
            }
        } else if (!placementValue.equals("header")) {
            keys.problem("token-placement", "'" + HttpHeaderNames.printable(placementValue) + "' is not header or query");
        }
        String queryParameter = keys.nonBlank("token-query-parameter", c.tokenQueryParameter()).orElse("access_token");
        if (!queryParameter.matches("[A-Za-z0-9_.~-]+")) {
            keys.problem("token-query-parameter", "'" + HttpHeaderNames.printable(queryParameter) + "' must be letters,"
                    + " digits, '_', '.', '~' or '-'");
        }
        Optional<CustomPolicy.Consent> consent = customConsent(clientId.isPresent());
        if (keys.problemCount() > before || url == null) {
            return null;
        }
        return new CustomPolicy(clientId, secret, keys.split("scopes", c.scopes()), values,
                new CustomPolicy.RequestTemplate(method, url, headers, body,
                        format.equals("json") ? CustomPolicy.BodyFormat.JSON : CustomPolicy.BodyFormat.FORM),
                response, placement, queryParameter, consent);
    }

    /** Three-legged when authorization-url is set: the browser goes there with client-id, redirect-uri and PKCE. */
    private Optional<CustomPolicy.Consent> customConsent(boolean clientId) {
        Optional<URI> authorizationUrl = keys.optionalUrl("authorization-url", c.authorizationUrl());
        if (authorizationUrl.isEmpty()) {
            return Optional.empty();
        }
        if (!clientId) {
            keys.missing("client-id", ", which the consent URL of a three-legged custom flow (authorization-url) carries");
        }
        URI redirectUri = redirectUri();
        Optional<String> issuer = keys.nonBlank("issuer", c.issuer());
        return redirectUri == null ? Optional.empty()
                : Optional.of(new CustomPolicy.Consent(authorizationUrl.get(), redirectUri, issuer));
    }

    /** token-request-url, else token-url: http(s) once its placeholders are filled in. */
    private String customUrl() {
        Optional<String> template = keys.nonBlank("token-request-url", c.tokenRequestUrl());
        if (template.isEmpty()) {
            URI tokenUrl = keys.required("token-url", c.tokenUrl(), ", or token-request-url") == null ? null
                    : keys.url("token-url", c.tokenUrl(), true);
            return tokenUrl == null ? null : tokenUrl.toString();
        }
        String probe = PLACEHOLDER.matcher(template.get()).replaceAll("x");
        URI uri = keys.url("token-request-url", Optional.of(probe), true);
        return uri == null ? null : template.get();
    }

    /** Name: value pairs separated by newlines or by semicolons in front of the next name. */
    private java.util.Map<String, String> customHeaders() {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        Optional<String> value = keys.nonBlank("token-request-headers", c.tokenRequestHeaders());
        // a ';' separates headers only before "Name:", so "application/json; charset=utf-8" stays one value
        for (String pair : value.map(v -> v.split("\n|;(?=\\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+\\s*:)")).orElse(new String[0])) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            String name = colon < 0 ? "" : pair.substring(0, colon).trim();
            Optional<String> problem = colon < 0 ? Optional.of("'" + HttpHeaderNames.printable(pair.trim())
                    + "' is not Name: value") : HttpHeaderNames.problemWithName(name);
            if (problem.isPresent()) {
                keys.problem("token-request-headers", problem.get());
            } else {
                headers.put(name, pair.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** name=value pairs separated by commas, for {value.<name>}. */
    private java.util.Map<String, Secret> customValues() {
        java.util.Map<String, Secret> values = new java.util.LinkedHashMap<>();
        Optional<String> value = keys.value("token-request-values", c.tokenRequestValues());
        for (String pair : value.map(v -> v.split(",")).orElse(new String[0])) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).trim();
            if (!name.matches("[A-Za-z0-9_-]+")) {
                // the pair may hold a secret: name the position, never the text
                keys.problem("token-request-values", "entry " + (values.size() + 1) + " is not name=value with a name"
                        + " of letters, digits, '_' or '-'");
            } else {
                values.put(name, Secret.of(pair.substring(eq + 1).trim()));
            }
        }
        return values;
    }

    /** Every placeholder names something configured. */
    private void checkPlaceholders(String key, String template, boolean clientId, boolean secret,
            java.util.Map<String, Secret> values) {
        if (template == null) {
            return;
        }
        java.util.regex.Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String name = m.group(1);
            String missing = name.equals("client-id") && !clientId ? "client-id"
                    : name.equals("client-secret") && !secret ? "client-secret"
                    : m.group(2) != null && !values.containsKey(m.group(2)) ? "token-request-values entry '" + m.group(2) + "'"
                    : null;
            if (missing != null) {
                keys.problem(key, "uses {" + name + "}, but " + missing + " is not set");
            }
        }
    }

    /** A response field: $.path, /pointer or regex:... with exactly one group. */
    private Optional<String> field(String key, Optional<String> value) {
        Optional<String> v = keys.nonBlank(key, value);
        if (v.isEmpty()) {
            return v;
        }
        String spec = v.get();
        if (spec.startsWith("regex:")) {
            try {
                if (java.util.regex.Pattern.compile(spec.substring(6)).matcher("").groupCount() == 1) {
                    return v;
                }
                keys.problem(key, "the regex must have exactly one group, the value: regex:access_token=(\\w+)");
            } catch (java.util.regex.PatternSyntaxException e) {
                keys.problem(key, "is not a regular expression: " + HttpHeaderNames.printable(e.getDescription()));
            }
            return Optional.empty();
        }
        if (spec.matches("\\$(\\.[A-Za-z0-9_-]+|\\[\\d+])+") || spec.matches("(/[^/]*)+")) {
            return v;
        }
        keys.problem(key, "'" + HttpHeaderNames.printable(spec) + "' is not $.a.b (JSON path), /a/b (JSON pointer) or"
                + " regex:... with one group");
        return Optional.empty();
    }

    /** A token type identifier (RFC 8693 3): an absolute URI such as urn:ietf:params:oauth:token-type:jwt. */
    private Optional<URI> tokenType(String key, Optional<String> value) {
        Optional<String> v = keys.nonBlank(key, value);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(v.get());
            if (uri.isAbsolute()) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        keys.problem(key, "'" + HttpHeaderNames.printable(v.get()) + "' is not a token type URI such as"
                + " urn:ietf:params:oauth:token-type:access_token");
        return Optional.empty();
    }

    /** HMAC-SHA256 unless set; null when the value is bad (reported). */
    private SignatureMethod signatureMethod() {
        Optional<String> value = keys.nonBlank("signature-method", c.signatureMethod());
        if (value.isEmpty()) {
            return SignatureMethod.HMAC_SHA256;
        }
        Optional<SignatureMethod> parsed = SignatureMethod.fromValue(value.get());
        if (parsed.isEmpty()) {
            keys.problem("signature-method", "unknown or unsupported method '" + HttpHeaderNames.printable(value.get().trim())
                    + "'" + Suggestions.didYouMean(value.get(), Arrays.stream(SignatureMethod.values())
                            .map(SignatureMethod::value).toList()) + " (use HMAC-SHA256 or HMAC-SHA1)");
            return null;
        }
        return parsed.get();
    }

    /** The client and its authorization server, common to the OAuth policies; null when a key has a problem. */
    private ClientRegistration client(Policy policy) {
        int before = keys.problemCount();
        AuthorizationServer server = server();
        String clientId = keys.required("client-id", c.clientId());
        ClientAuthMethod auth = clientAuth();
        Optional<Secret> secret = Optional.empty();
        if (auth == ClientAuthMethod.NONE && policy == Policy.CLIENT_CREDENTIALS) {
            keys.problem("client-auth", "'none' (a public client) cannot use client-credentials: the client acts for"
                    + " itself, so it must authenticate; set client-secret and client_secret_basic or client_secret_post");
        } else if (auth == ClientAuthMethod.NONE) {
            if (keys.nonBlank("client-secret", c.clientSecret()).isPresent()) {
                keys.problem("client-secret", "is set, but client-auth=none sends no secret; remove client-secret for a"
                        + " public client, or set client-auth to client_secret_basic or client_secret_post");
            }
        } else if (auth == ClientAuthMethod.PRIVATE_KEY_JWT) {
            if (keys.nonBlank("client-secret", c.clientSecret()).isPresent()) {
                keys.problem("client-secret", "is set, but client-auth=private_key_jwt signs with client-assertion-key"
                        + " and sends no secret; remove client-secret, or use client_secret_jwt");
            }
        } else if (auth == ClientAuthMethod.TLS_CLIENT_AUTH) {
            checkTlsClientAuth();
        } else if (auth != null) {
            // With a bad client-auth (reported) it is unknown whether a secret is needed: no second line.
            String value = keys.required("client-secret", c.clientSecret());
            secret = Optional.ofNullable(value).map(Secret::of);
        }
        Optional<ClientAssertion> assertion = Optional.empty();
        boolean signs = auth == ClientAuthMethod.CLIENT_SECRET_JWT || auth == ClientAuthMethod.PRIVATE_KEY_JWT;
        if (signs && policy == Policy.AUTHORIZATION_CODE) {
            keys.problem("client-auth", "'" + auth + "' is not available for authorization-code in this version (use"
                    + " client_secret_basic, client_secret_post or none)");
        } else if (signs) {
            assertion = Optional.ofNullable(new JwtSettingsReader(c, keys).clientAssertion(auth,
                    secret.map(Secret::reveal).orElse(null)));
        }
        List<URI> resources = new ArrayList<>();
        for (String r : keys.split("resource", c.resource())) {
            URI uri = keys.parseUri("resource", r);
            if (uri != null) {
                resources.add(uri);
            }
        }
        // A key with an unresolved placeholder reads as unset without a new problem here: check each piece.
        boolean incomplete = server == null || clientId == null || auth == null
                || auth != ClientAuthMethod.NONE && auth != ClientAuthMethod.PRIVATE_KEY_JWT
                        && auth != ClientAuthMethod.TLS_CLIENT_AUTH && secret.isEmpty()
                || signs && assertion.isEmpty();
        if (keys.problemCount() > before || incomplete) {
            return null;
        }
        return new ClientRegistration(clientId, secret, auth, server, keys.split("scopes", c.scopes()),
                keys.nonBlank("audience", c.audience()), resources, assertion);
    }

    /** tls_client_auth (RFC 8705): the client certificate of tls-key-store authenticates; no secret is sent. */
    private void checkTlsClientAuth() {
        if (keys.nonBlank("tls-key-store", c.tlsKeyStore()).isEmpty()) {
            keys.problem("client-auth", "tls_client_auth authenticates with a client certificate, but tls-key-store is"
                    + " not set; set tls-key-store (PKCS#12 or PEM with the certificate and its key)");
        }
        if (keys.nonBlank("client-secret", c.clientSecret()).isPresent()) {
            keys.problem("client-secret", "is set, but client-auth=tls_client_auth sends no secret; remove client-secret");
        }
    }

    /** Issuer and endpoints; token-url may be left to discovery only when the issuer is set. */
    private AuthorizationServer server() {
        Optional<URI> issuer = issuer();
        boolean discover = issuer.isPresent();
        URI tokenUrl;
        if (discover || issuer.isEmpty() && keys.nonBlank("issuer", c.issuer()).isPresent()) {
            // Discoverable, or the issuer is bad (reported): token-url is optional here.
            tokenUrl = keys.url("token-url", c.tokenUrl(), false);
        } else {
            String hint = ", or issuer to discover it";
            tokenUrl = keys.required("token-url", c.tokenUrl(), hint) == null ? null
                    : keys.url("token-url", c.tokenUrl(), true);
        }
        Optional<URI> authorizationUrl = keys.optionalUrl("authorization-url", c.authorizationUrl());
        Optional<URI> revocationUrl = keys.optionalUrl("revocation-url", c.revocationUrl());
        Optional<URI> introspectionUrl = keys.optionalUrl("introspection-url", c.introspectionUrl());
        if (tokenUrl == null && !discover) {
            return null;
        }
        return new AuthorizationServer(issuer, Optional.ofNullable(tokenUrl), authorizationUrl, revocationUrl,
                introspectionUrl);
    }

    private Optional<URI> issuer() {
        Optional<URI> issuer = keys.optionalUrl("issuer", c.issuer());
        if (issuer.isPresent() && (issuer.get().getRawQuery() != null || issuer.get().getRawFragment() != null)) {
            keys.problem("issuer", "'" + KeyReader.safe(issuer.get()) + "' must not have a query or fragment (RFC 8414)");
            return Optional.empty();
        }
        return issuer;
    }

    /** client_secret_basic unless set; null when the value is bad (reported). */
    private ClientAuthMethod clientAuth() {
        Optional<String> value = keys.nonBlank("client-auth", c.clientAuth());
        if (value.isEmpty()) {
            return ClientAuthMethod.CLIENT_SECRET_BASIC;
        }
        Optional<ClientAuthMethod> parsed = ClientAuthMethod.fromValue(value.get());
        if (parsed.isPresent() && parsed.get().isAvailable()) {
            return parsed.get();
        }
        String shown = HttpHeaderNames.printable(value.get());
        keys.problem("client-auth", (parsed.isEmpty() ? "unknown method '" + shown + "'" + Suggestions.didYouMean(
                value.get(), Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::value).toList())
                : "method not available in this version '" + shown + "'")
                + " (use one of: " + ClientAuthMethod.availableValues() + ")");
        return null;
    }

    /** The consent callback: https, or http on a loopback host (RFC 8252 7.3) or with allow-insecure; no fragment. */
    private URI redirectUri() {
        Optional<String> value = keys.nonBlank("redirect-uri", c.redirectUri());
        if (value.isEmpty()) {
            return AuthorizationCodePolicy.DEFAULT_REDIRECT_URI;
        }
        URI uri = keys.parseUri("redirect-uri", value.get());
        if (uri == null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase();
        boolean loopback = Set.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost().toLowerCase());
        if (!scheme.equals("https") && !(scheme.equals("http") && (loopback || keys.allowsInsecure()))) {
            keys.problem("redirect-uri", "'" + KeyReader.safe(uri) + "' must be https://, or http:// on localhost,"
                    + " 127.0.0.1 or [::1] (or set allow-insecure=true for local development): the authorization code"
                    + " travels in it");
            return null;
        }
        if (uri.getRawFragment() != null) {
            keys.problem("redirect-uri", "'" + KeyReader.safe(uri) + "' must not have a fragment (RFC 6749 3.1.2)");
            return null;
        }
        return uri;
    }
}
