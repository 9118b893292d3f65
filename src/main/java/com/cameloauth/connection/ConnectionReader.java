package com.cameloauth.connection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition.CredentialHeader;
import com.cameloauth.connection.ConnectionDefinition.HttpTimeouts;
import com.cameloauth.connection.ConnectionDefinition.Resilience;
import com.cameloauth.connection.ConnectionDefinition.TokenTiming;
import com.cameloauth.connection.policy.SecurityPolicy;

/**
 * Reads one connection's keys, recording a problem for each bad one: the keys every connection has here, the policy's
 * own keys in {@link SecurityPolicyReader}. Limits are documented in {@link OAuthConfig}.
 */
final class ConnectionReader {
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(365);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_WAIT = Duration.ofHours(24);
    static final int MAX_ATTEMPTS = 10;
    static final int MAX_CIRCUIT_FAILURE_THRESHOLD = 100;

    private final String name;
    private final OAuthConfig.Connection c;
    private final KeyReader keys;
    private final SecurityPolicyReader.Support support;

    ConnectionReader(String name, OAuthConfig.Connection c, List<String> problems, Map<String, String> unresolved) {
        this(name, c, problems, unresolved, SecurityPolicyReader.Support.ENGINE);
    }

    /**
     * @param unresolved key to the problem of its unresolved placeholder (already a problem here; read as unset)
     * @param support    whether to read only what the engine runs, or every policy that has a record
     */
    ConnectionReader(String name, OAuthConfig.Connection c, List<String> problems, Map<String, String> unresolved,
            SecurityPolicyReader.Support support) {
        this.name = name;
        this.c = c;
        this.keys = new KeyReader("connection '" + name + "': ", "oauth.connections." + name + ".", problems, unresolved);
        this.support = support;
    }

    /** The definition, or null when any key of this connection has a problem. */
    ConnectionDefinition read() {
        int before = keys.problemCount();
        keys.reportUnresolved();
        keys.allowInsecure(keys.bool("allow-insecure", c.allowInsecure(), false));
        SecurityPolicy security = new SecurityPolicyReader(c, keys, support).read();
        URI baseUrl = keys.url("base-url", c.baseUrl(), true);
        if (baseUrl != null && (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null)) {
            keys.problem("base-url", "'" + KeyReader.safe(baseUrl) + "' must not have a query or fragment; pass query"
                    + " parameters with the CamelHttpQuery header");
            baseUrl = null;
        }
        HttpTimeouts timeouts = new HttpTimeouts(
                keys.positive("connect-timeout", keys.duration("connect-timeout", c.connectTimeout(), Duration.ofSeconds(10), MAX_TIMEOUT)),
                keys.positive("read-timeout", keys.duration("read-timeout", c.readTimeout(), Duration.ofSeconds(30), MAX_TIMEOUT)),
                keys.positive("request-timeout", keys.duration("request-timeout", c.requestTimeout(), Duration.ofSeconds(30), MAX_TIMEOUT)));
        TokenTiming timing = new TokenTiming(
                keys.value("refresh-skew", c.refreshSkew())
                        .map(v -> keys.duration("refresh-skew", Optional.of(v), Duration.ZERO, MAX_LIFETIME)),
                keys.positive("default-expires-in", keys.duration("default-expires-in", c.defaultExpiresIn(), Duration.ofMinutes(5), MAX_LIFETIME)),
                keys.positive("max-expires-in", keys.duration("max-expires-in", c.maxExpiresIn(), Duration.ofHours(24), MAX_LIFETIME)),
                keys.duration("min-fetch-interval", c.minFetchInterval(), Duration.ofSeconds(1), MAX_TIMEOUT));
        // A zero max-expires-in is already reported; comparing with it would add a second, misleading line.
        if (!timing.maxExpiresIn().isZero() && timing.defaultExpiresIn().compareTo(timing.maxExpiresIn()) > 0) {
            keys.problem("default-expires-in", "must not be longer than max-expires-in (" + timing.maxExpiresIn() + ")");
        }
        Resilience resilience = new Resilience(
                keys.integer("max-attempts", c.maxAttempts(), 3, 1, MAX_ATTEMPTS),
                keys.duration("retry-backoff", c.retryBackoff(), Duration.ofMillis(200), MAX_BACKOFF),
                keys.duration("max-retry-after", c.maxRetryAfter(), Duration.ofMinutes(5), MAX_WAIT),
                keys.integer("circuit-failure-threshold", c.circuitFailureThreshold(), 5, 1, MAX_CIRCUIT_FAILURE_THRESHOLD),
                keys.duration("circuit-open-duration", c.circuitOpenDuration(), Duration.ofSeconds(30), MAX_WAIT));
        CredentialHeader header = new CredentialHeader(keys.headerName("header-name", c.headerName(), "Authorization"),
                headerPrefix());
        TlsDpopReader tlsDpop = new TlsDpopReader(c, keys);
        TlsSettings tls = tlsDpop.tls();
        Optional<DpopSettings> dpop = tlsDpop.dpop(security == null ? null : security.policy(), header);
        if (keys.problemCount() > before || security == null) {
            return null;
        }
        return new ConnectionDefinition(name, baseUrl, security, header, timing, resilience, timeouts, tls, dpop);
    }

    private String headerPrefix() {
        Optional<String> v = keys.value("header-prefix", c.headerPrefix()).map(String::trim);
        if (v.isEmpty()) {
            return "Bearer";
        }
        if (v.get().equalsIgnoreCase("none")) {
            return "";
        }
        Optional<String> problem = HttpHeaderNames.problemWithPrefix(v.get());
        problem.ifPresent(p -> keys.problem("header-prefix", p));
        return problem.isPresent() ? "Bearer" : v.get();
    }
}
