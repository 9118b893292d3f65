package com.cameloauth.connection;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.eclipse.microprofile.config.spi.ConfigSource;

import com.cameloauth.connection.ConnectionDefinition.ApiKeyCredentials;
import com.cameloauth.connection.ConnectionDefinition.BasicCredentials;
import com.cameloauth.connection.ConnectionDefinition.CredentialHeader;
import com.cameloauth.connection.ConnectionDefinition.HttpTimeouts;
import com.cameloauth.connection.ConnectionDefinition.OAuthClient;
import com.cameloauth.connection.ConnectionDefinition.Resilience;
import com.cameloauth.connection.ConnectionDefinition.StaticCredentials;
import com.cameloauth.connection.ConnectionDefinition.TokenTiming;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;

/**
 * Turns the {@link OAuthConfig} mapping into validated {@link ConnectionDefinition}s. Every problem in every
 * connection is collected first; then one {@link ConnectionConfigurationException} reports them all.
 */
public final class ConnectionDefinitions {

    private ConnectionDefinitions() {
    }

    /** Validates a mapping that Quarkus (or another SmallRye Config user) already built. */
    public static Map<String, ConnectionDefinition> from(OAuthConfig config) {
        List<String> problems = new ArrayList<>();
        Map<String, ConnectionDefinition> result = new TreeMap<>();
        config.connections().forEach((name, connection) -> {
            Reader reader = new Reader(name, connection, problems);
            ConnectionDefinition definition = reader.read();
            if (definition != null) {
                result.put(name, definition);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConnectionConfigurationException(problems);
        }
        return Map.copyOf(result);
    }

    /**
     * Validates a mapping together with the property names it was built from, so that an unknown key under
     * {@code oauth.} (a typo such as {@code client-secrte}) is reported with every other problem. Problems are sorted,
     * so each connection's lines stand together.
     */
    public static Map<String, ConnectionDefinition> from(OAuthConfig config, Iterable<String> propertyNames) {
        List<String> problems = new ArrayList<>(ConnectionKeys.unknown(propertyNames));
        Map<String, ConnectionDefinition> definitions = Map.of();
        try {
            definitions = from(config);
        } catch (ConnectionConfigurationException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            problems.sort(null);
            throw new ConnectionConfigurationException(problems);
        }
        return definitions;
    }

    /**
     * Builds the mapping over the given config sources (for example Camel's properties) plus environment variables
     * and system properties, then validates it. Unknown keys under {@code oauth.} are reported.
     */
    public static Map<String, ConnectionDefinition> load(List<ConfigSource> sources) {
        return load(sources, System.getenv());
    }

    /** {@link #load(List)} with the given map as the environment, so tests can set environment variables. */
    static Map<String, ConnectionDefinition> load(List<ConfigSource> sources, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL), new SysPropConfigSource())
                .withSources(sources.toArray(ConfigSource[]::new))
                .withMapping(OAuthConfig.class)
                .withValidateUnknown(false)
                .build();
        return from(config.getConfigMapping(OAuthConfig.class), config.getPropertyNames());
    }

    /** Builds and validates connections from plain properties ({@code oauth.connections.<name>.<key>=value}). */
    public static Map<String, ConnectionDefinition> fromProperties(Map<String, String> properties) {
        return load(List.of(new PropertiesConfigSource(properties, "properties", 250)));
    }

    /** Reads one connection's keys, recording a problem for each bad one. */
    private static final class Reader {
        private final String name;
        private final OAuthConfig.Connection c;
        private final List<String> problems;
        private boolean allowInsecure;

        Reader(String name, OAuthConfig.Connection c, List<String> problems) {
            this.name = name;
            this.c = c;
            this.problems = problems;
        }

        ConnectionDefinition read() {
            int before = problems.size();
            allowInsecure = bool("allow-insecure", c.allowInsecure(), false);
            Policy policy = policy();
            URI baseUrl = url("base-url", c.baseUrl(), true);
            if (baseUrl != null && (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null)) {
                problem("base-url", "'" + safe(baseUrl) + "' must not have a query or fragment; pass query"
                        + " parameters with the CamelHttpQuery header");
                baseUrl = null;
            }
            Duration connect = duration("connect-timeout", c.connectTimeout(), Duration.ofSeconds(10));
            Duration read = duration("read-timeout", c.readTimeout(), Duration.ofSeconds(30));
            Duration request = duration("request-timeout", c.requestTimeout(), Duration.ofSeconds(30));
            TokenTiming timing = new TokenTiming(
                    c.refreshSkew().map(v -> duration("refresh-skew", Optional.of(v), Duration.ZERO)),
                    positive("default-expires-in", duration("default-expires-in", c.defaultExpiresIn(), Duration.ofMinutes(5))),
                    positive("max-expires-in", duration("max-expires-in", c.maxExpiresIn(), Duration.ofHours(24))),
                    duration("min-fetch-interval", c.minFetchInterval(), Duration.ofSeconds(1)));
            // A zero max-expires-in is already reported; comparing with it would add a second, misleading line.
            if (!timing.maxExpiresIn().isZero() && timing.defaultExpiresIn().compareTo(timing.maxExpiresIn()) > 0) {
                problem("default-expires-in", "must not be longer than max-expires-in (" + timing.maxExpiresIn() + ")");
            }
            Resilience resilience = new Resilience(
                    integer("max-attempts", c.maxAttempts(), 3, 1),
                    duration("retry-backoff", c.retryBackoff(), Duration.ofMillis(200)),
                    duration("max-retry-after", c.maxRetryAfter(), Duration.ofMinutes(5)),
                    integer("circuit-failure-threshold", c.circuitFailureThreshold(), 5, 1),
                    duration("circuit-open-duration", c.circuitOpenDuration(), Duration.ofSeconds(30)));
            CredentialHeader header = new CredentialHeader(
                    nonBlank("header-name", c.headerName()).orElse("Authorization"),
                    c.headerPrefix().map(String::trim).map(p -> p.equalsIgnoreCase("none") ? "" : p).orElse("Bearer"));

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
                String headerName = nonBlank("api-key-header", c.apiKeyHeader()).orElse("X-API-Key");
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
                problem("policy", "unknown policy '" + value + "' (use one of: " + Policy.availableValues() + ")");
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
            if (c.clientAuth().isPresent()) {
                Optional<ClientAuthMethod> parsed = ClientAuthMethod.fromValue(c.clientAuth().get());
                if (parsed.isEmpty() || !parsed.get().isAvailable()) {
                    problem("client-auth", (parsed.isEmpty() ? "unknown method '" : "method not available in this version '")
                            + c.clientAuth().get() + "' (use one of: " + ClientAuthMethod.availableValues() + ")");
                } else {
                    auth = parsed.get();
                }
            }
            String secret = required("client-secret", c.clientSecret());
            List<URI> resources = new ArrayList<>();
            for (String r : split(c.resource())) {
                URI uri = parseUri("resource", r);
                if (uri != null) {
                    resources.add(uri);
                }
            }
            if (tokenUrl == null || clientId == null || secret == null) {
                return null;
            }
            return new OAuthClient(tokenUrl, clientId, Optional.of(Secret.of(secret)), auth, split(c.scopes()),
                    nonBlank("audience", c.audience()), resources);
        }

        private URI url(String key, Optional<String> value, boolean required) {
            String v = required ? required(key, value) : value.orElse(null);
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

        private URI parseUri(String key, String value) {
            try {
                URI uri = new URI(value.trim());
                if (uri.getScheme() == null || uri.getHost() == null) {
                    problem(key, "'" + value.trim() + "' is not an absolute URL with a host");
                    return null;
                }
                return uri;
            } catch (Exception e) {
                problem(key, "malformed URL '" + value.trim() + "'");
                return null;
            }
        }

        private Duration duration(String key, Optional<String> value, Duration defaultValue) {
            if (value.isEmpty() || value.get().isBlank()) {
                return defaultValue;
            }
            try {
                Duration d = Durations.parse(value.get());
                if (d.isNegative()) {
                    problem(key, "'" + value.get().trim() + "' must not be negative");
                    return defaultValue;
                }
                return d;
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

        private int integer(String key, Optional<String> value, int defaultValue, int min) {
            if (value.isEmpty() || value.get().isBlank()) {
                return defaultValue;
            }
            try {
                int i = Integer.parseInt(value.get().trim());
                if (i < min) {
                    problem(key, "'" + i + "' must be at least " + min);
                    return defaultValue;
                }
                return i;
            } catch (NumberFormatException e) {
                problem(key, "'" + value.get().trim() + "' is not a whole number");
                return defaultValue;
            }
        }

        private boolean bool(String key, Optional<String> value, boolean defaultValue) {
            if (value.isEmpty() || value.get().isBlank()) {
                return defaultValue;
            }
            String v = value.get().trim();
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            problem(key, "'" + v + "' is not true or false");
            return defaultValue;
        }

        private String required(String key, Optional<String> value) {
            Optional<String> v = nonBlank(key, value);
            if (v.isEmpty()) {
                problem(key, "missing (set oauth.connections." + name + "." + key + ")");
                return null;
            }
            return v.get();
        }

        private Optional<String> nonBlank(String key, Optional<String> value) {
            return value.map(String::trim).filter(v -> !v.isEmpty());
        }

        private List<String> split(Optional<String> value) {
            return value.map(v -> List.of(v.trim().split("[\\s,]+"))).orElse(List.of()).stream()
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

}
