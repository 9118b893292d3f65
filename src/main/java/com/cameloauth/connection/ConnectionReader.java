package com.cameloauth.connection;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition.ApiKeyCredentials;
import com.cameloauth.connection.ConnectionDefinition.BasicCredentials;
import com.cameloauth.connection.ConnectionDefinition.CredentialHeader;
import com.cameloauth.connection.ConnectionDefinition.HttpTimeouts;
import com.cameloauth.connection.ConnectionDefinition.OAuthClient;
import com.cameloauth.connection.ConnectionDefinition.Resilience;
import com.cameloauth.connection.ConnectionDefinition.StaticCredentials;
import com.cameloauth.connection.ConnectionDefinition.TokenTiming;

/** Reads one connection's keys, recording a problem for each bad one. Limits are documented in {@link OAuthConfig}. */
final class ConnectionReader {
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(365);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_WAIT = Duration.ofHours(24);
    static final int MAX_ATTEMPTS = 10;
    static final int MAX_CIRCUIT_FAILURE_THRESHOLD = 100;

    private final String name;
    private final OAuthConfig.Connection c;
    private final List<String> problems;
    /** Keys whose value had a placeholder that could not be resolved (already reported): read as unset, never used. */
    private final Map<String, String> unresolved;
    private boolean allowInsecure;

    ConnectionReader(String name, OAuthConfig.Connection c, List<String> problems, Map<String, String> unresolved) {
        this.name = name;
        this.c = c;
        this.problems = problems;
        this.unresolved = unresolved;
    }

    /** The definition, or null when any key of this connection has a problem. */
    ConnectionDefinition read() {
        int before = problems.size();
        unresolved.forEach(this::problem);
        allowInsecure = bool("allow-insecure", c.allowInsecure(), false);
        Policy policy = policy();
        URI baseUrl = url("base-url", c.baseUrl(), true);
        if (baseUrl != null && (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null)) {
            problem("base-url", "'" + safe(baseUrl) + "' must not have a query or fragment; pass query"
                    + " parameters with the CamelHttpQuery header");
            baseUrl = null;
        }
        Duration connect = positive("connect-timeout", duration("connect-timeout", c.connectTimeout(), Duration.ofSeconds(10), MAX_TIMEOUT));
        Duration read = positive("read-timeout", duration("read-timeout", c.readTimeout(), Duration.ofSeconds(30), MAX_TIMEOUT));
        Duration request = positive("request-timeout", duration("request-timeout", c.requestTimeout(), Duration.ofSeconds(30), MAX_TIMEOUT));
        TokenTiming timing = new TokenTiming(
                value("refresh-skew", c.refreshSkew()).map(v -> duration("refresh-skew", Optional.of(v), Duration.ZERO, MAX_LIFETIME)),
                positive("default-expires-in", duration("default-expires-in", c.defaultExpiresIn(), Duration.ofMinutes(5), MAX_LIFETIME)),
                positive("max-expires-in", duration("max-expires-in", c.maxExpiresIn(), Duration.ofHours(24), MAX_LIFETIME)),
                duration("min-fetch-interval", c.minFetchInterval(), Duration.ofSeconds(1), MAX_TIMEOUT));
        // A zero max-expires-in is already reported; comparing with it would add a second, misleading line.
        if (!timing.maxExpiresIn().isZero() && timing.defaultExpiresIn().compareTo(timing.maxExpiresIn()) > 0) {
            problem("default-expires-in", "must not be longer than max-expires-in (" + timing.maxExpiresIn() + ")");
        }
        Resilience resilience = new Resilience(
                integer("max-attempts", c.maxAttempts(), 3, 1, MAX_ATTEMPTS),
                duration("retry-backoff", c.retryBackoff(), Duration.ofMillis(200), MAX_BACKOFF),
                duration("max-retry-after", c.maxRetryAfter(), Duration.ofMinutes(5), MAX_WAIT),
                integer("circuit-failure-threshold", c.circuitFailureThreshold(), 5, 1, MAX_CIRCUIT_FAILURE_THRESHOLD),
                duration("circuit-open-duration", c.circuitOpenDuration(), Duration.ofSeconds(30), MAX_WAIT));
        CredentialHeader header = new CredentialHeader(headerName("header-name", c.headerName(), "Authorization"),
                headerPrefix());

        Optional<OAuthClient> oauthClient = Optional.empty();
        Optional<StaticCredentials> credentials = Optional.empty();
        if (policy != null && policy.isOAuth()) {
            oauthClient = Optional.ofNullable(oauthClient());
        } else if (policy == Policy.BASIC) {
            String user = required("username", c.username());
            String password = required("password", c.password());
            credentials = user == null || password == null ? Optional.empty()
                    : Optional.of(new BasicCredentials(user, Secret.of(password)));
        } else if (policy == Policy.API_KEY) {
            String key = required("api-key", c.apiKey());
            String headerName = headerName("api-key-header", c.apiKeyHeader(), "X-API-Key");
            credentials = key == null ? Optional.empty() : Optional.of(new ApiKeyCredentials(headerName, Secret.of(key)));
        }
        if (problems.size() > before) {
            return null;
        }
        return new ConnectionDefinition(name, policy, baseUrl, oauthClient, credentials, header, timing, resilience,
                new HttpTimeouts(connect, read, request));
    }

    private Policy policy() {
        String value = required("policy", c.policy());
        if (value == null) {
            return null;
        }
        if (value.trim().equalsIgnoreCase("implicit")) {
            problem("policy", Policy.IMPLICIT_REFUSED);
            return null;
        }
        Optional<Policy> policy = Policy.fromValue(value);
        if (policy.isEmpty()) {
            problem("policy", "unknown policy '" + value + "'" + Suggestions.didYouMean(value,
                    Arrays.stream(Policy.values()).map(Policy::value).toList()) + " (use one of: "
                    + Policy.availableValues() + ")");
            return null;
        }
        if (!policy.get().isAvailable()) {
            problem("policy", "policy '" + value + "' is not available in this version (available: "
                    + Policy.availableValues() + ")");
            return null;
        }
        return policy.get();
    }

    private OAuthClient oauthClient() {
        URI tokenUrl = url("token-url", c.tokenUrl(), true);
        String clientId = required("client-id", c.clientId());
        ClientAuthMethod auth = ClientAuthMethod.CLIENT_SECRET_BASIC;
        Optional<String> clientAuth = value("client-auth", c.clientAuth());
        if (clientAuth.isPresent()) {
            Optional<ClientAuthMethod> parsed = ClientAuthMethod.fromValue(clientAuth.get());
            if (parsed.isEmpty() || !parsed.get().isAvailable()) {
                problem("client-auth", (parsed.isEmpty() ? "unknown method '" : "method not available in this version '")
                        + clientAuth.get() + "'" + (parsed.isEmpty() ? Suggestions.didYouMean(clientAuth.get(),
                                Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::value).toList()) : "")
                        + " (use one of: " + ClientAuthMethod.availableValues() + ")");
            } else {
                auth = parsed.get();
            }
        }
        String secret = required("client-secret", c.clientSecret());
        List<URI> resources = new ArrayList<>();
        for (String r : split("resource", c.resource())) {
            URI uri = parseUri("resource", r);
            if (uri != null) {
                resources.add(uri);
            }
        }
        if (tokenUrl == null || clientId == null || secret == null) {
            return null;
        }
        return new OAuthClient(tokenUrl, clientId, Optional.of(Secret.of(secret)), auth, split("scopes", c.scopes()),
                nonBlank("audience", c.audience()), resources);
    }

    private String headerName(String key, Optional<String> value, String defaultValue) {
        Optional<String> v = nonBlank(key, value);
        if (v.isPresent()) {
            Optional<String> problem = HttpHeaderNames.problemWithName(v.get());
            if (problem.isPresent()) {
                problem(key, problem.get());
                return defaultValue;
            }
        }
        return v.orElse(defaultValue);
    }

    private String headerPrefix() {
        Optional<String> v = value("header-prefix", c.headerPrefix()).map(String::trim);
        if (v.isEmpty()) {
            return "Bearer";
        }
        if (v.get().equalsIgnoreCase("none")) {
            return "";
        }
        Optional<String> problem = HttpHeaderNames.problemWithPrefix(v.get());
        problem.ifPresent(p -> problem("header-prefix", p));
        return problem.isPresent() ? "Bearer" : v.get();
    }

    private URI url(String key, Optional<String> value, boolean required) {
        String v = required ? required(key, value) : value(key, value).orElse(null);
        if (v == null) {
            return null;
        }
        URI uri = parseUri(key, v);
        if (uri == null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !scheme.equals("http")) {
            problem(key, "'" + safe(uri) + "' must be an https:// URL");
            return null;
        }
        if (scheme.equals("http") && !allowInsecure) {
            problem(key, "'" + safe(uri) + "' is http://: tokens and secrets would travel in clear; use https://,"
                    + " or set allow-insecure=true for local development");
            return null;
        }
        return uri;
    }

    /** An absolute URL with a host and no user info; messages show it without user info and query. */
    private URI parseUri(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (Exception e) {
            problem(key, "malformed URL '" + Urls.redact(value) + "'");
            return null;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            problem(key, "'" + Urls.redact(value) + "' is not an absolute URL with a host");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            problem(key, "'" + safe(uri) + "' must not contain a user name or password; set client-id and client-secret"
                    + " (or username and password) instead");
            return null;
        }
        return uri;
    }

    private Duration duration(String key, Optional<String> value, Duration defaultValue, Duration max) {
        Optional<String> v = value(key, value);
        if (v.isEmpty() || v.get().isBlank()) {
            return defaultValue;
        }
        String text = v.get().trim();
        String tooLong = "'" + HttpHeaderNames.printable(text) + "' is too long (at most " + Durations.format(max) + ")";
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative()) {
                problem(key, "'" + text + "' must not be negative");
                return defaultValue;
            }
            if (d.compareTo(max) > 0) {
                problem(key, tooLong);
                return defaultValue;
            }
            return d;
        } catch (Durations.TooLarge e) {
            problem(key, tooLong);
            return defaultValue;
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return defaultValue;
        }
    }

    private Duration positive(String key, Duration d) {
        if (d.isZero()) {
            problem(key, "must be longer than zero");
        }
        return d;
    }

    private int integer(String key, Optional<String> value, int defaultValue, int min, int max) {
        Optional<String> v = value(key, value);
        if (v.isEmpty() || v.get().isBlank()) {
            return defaultValue;
        }
        String text = v.get().trim();
        if (!text.matches("-?\\d+")) {
            problem(key, "'" + HttpHeaderNames.printable(text) + "' is not a whole number");
            return defaultValue;
        }
        long i;
        try {
            i = Long.parseLong(text);
        } catch (NumberFormatException e) {
            i = text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (i < min) {
            problem(key, "'" + text + "' must be at least " + min);
            return defaultValue;
        }
        if (i > max) {
            problem(key, "'" + text + "' must be at most " + max);
            return defaultValue;
        }
        return (int) i;
    }

    private boolean bool(String key, Optional<String> value, boolean defaultValue) {
        Optional<String> v = value(key, value);
        if (v.isEmpty() || v.get().isBlank()) {
            return defaultValue;
        }
        String text = v.get().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        problem(key, "'" + HttpHeaderNames.printable(text) + "' is not true or false");
        return defaultValue;
    }

    /** A required value; null (and one problem) when it is missing. A key with an unresolved placeholder is not "missing". */
    private String required(String key, Optional<String> value) {
        Optional<String> v = nonBlank(key, value);
        if (v.isEmpty()) {
            if (!unresolved.containsKey(key)) {
                problem(key, "missing (set oauth.connections." + name + "." + key + ")");
            }
            return null;
        }
        return v.get();
    }

    private Optional<String> nonBlank(String key, Optional<String> value) {
        return value(key, value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The value, unless its placeholder could not be resolved: then it must never be used. */
    private Optional<String> value(String key, Optional<String> value) {
        return unresolved.containsKey(key) ? Optional.empty() : value;
    }

    private List<String> split(String key, Optional<String> value) {
        return value(key, value).map(v -> List.of(v.trim().split("[\\s,]+"))).orElse(List.of()).stream()
                .filter(s -> !s.isEmpty()).toList();
    }

    private void problem(String key, String message) {
        problems.add("connection '" + name + "': key '" + key + "': " + message);
    }

    /** A URL without user info or query, which may hold credentials. */
    private static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + Optional.ofNullable(uri.getRawPath()).orElse("");
    }
}
