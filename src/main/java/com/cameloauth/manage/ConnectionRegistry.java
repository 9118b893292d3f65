package com.cameloauth.manage;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.observe.RecentEvents;
import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.RevocationResult;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenManager;

/**
 * The connections as the management API and the connections page see them: views without secrets, recent events,
 * and the Test, Refresh and Revoke actions. Methods taking a name return empty for an unknown connection.
 */
public final class ConnectionRegistry {
    /** The state shown for connections with static credentials (basic, api-key, none): no token lifecycle. */
    public static final String STATIC = "STATIC";

    /** Said by Revoke for a connection without a revocation endpoint: the token is dropped here, not at the server. */
    public static final String LOCAL_REVOKE_DETAIL = "The cached token was dropped: the next call gets a new one."
            + " The connection has no revocation endpoint (set revocation-url, or issuer when its metadata has one), so"
            + " the dropped token stays valid at the authorization server until it expires.";

    private final OAuthConnections connections;
    private final RecentEvents events;
    private final ConnectionTester tester;
    private final Clock clock;
    private final Function<String, String> consentUrl;

    /** A registry whose views give no consent link (for hosts without consent endpoints). */
    public ConnectionRegistry(OAuthConnections connections, RecentEvents events, Clock clock) {
        this(connections, events, clock, name -> null);
    }

    /**
     * @param consentUrl where an operator gives consent for a connection name, null when it takes none; the host
     *                   (e.g. the Quarkus app) knows its consent endpoint
     */
    public ConnectionRegistry(OAuthConnections connections, RecentEvents events, Clock clock,
            Function<String, String> consentUrl) {
        this.connections = connections;
        this.events = events;
        this.tester = new ConnectionTester(connections);
        this.clock = clock;
        this.consentUrl = consentUrl;
    }

    public List<ConnectionView> list() {
        return connections.names().stream().map(this::view).flatMap(Optional::stream).toList();
    }

    public Optional<ConnectionView> view(String name) {
        return connections.definition(name).map(this::view);
    }

    /** The connection's recent events, newest first. */
    public Optional<List<EventView>> events(String name) {
        return connections.definition(name).map(d -> events.recent(name).stream().map(EventView::of).toList());
    }

    /** An SVG of the connection's token events over the last hour. */
    public Optional<String> timeline(String name) {
        return connections.definition(name).map(d -> EventTimeline.render(events.recent(name), clock.instant(), Duration.ofHours(1)));
    }

    public Optional<Map<String, Object>> test(String name) {
        return connections.definition(name).map(tester::test);
    }

    /** Drops the cached token and gets a new one now; reported like Test. */
    public Optional<Map<String, Object>> refresh(String name) {
        return connections.definition(name).map(d -> tester.run(d, "static credentials: nothing to refresh"));
    }

    /**
     * Revokes at the server (RFC 7009: refresh token, then access token) when the connection has a revocation endpoint,
     * and drops the stored token set; without one, drops the cached token only (see {@link #LOCAL_REVOKE_DETAIL}).
     */
    public Optional<Map<String, Object>> revoke(String name) {
        return connections.definition(name).map(d -> {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("connection", name);
            Optional<TokenManager> manager = connections.tokenManager(name);
            if (manager.isEmpty()) {
                report.put("result", "NOTHING_TO_REVOKE");
                report.put("state", STATIC);
                report.put("detail", "static credentials: there is no token to revoke");
                return report;
            }
            if (connections.revocationEndpoint(name).isPresent()) {
                RevocationResult r = connections.revoke(name);
                report.put("result", r.failures().isEmpty() ? "REVOKED" : "REVOKED_WITH_ERRORS");
                report.put("serverSideRevocation", true);
                report.put("revoked", r.revoked());
                report.put("failures", r.failures().stream().map(SafeText::of).toList());
                report.put("state", r.state().name());
                report.put("detail", (r.revoked().isEmpty() ? "The server revoked nothing"
                        : "The server revoked: " + String.join(", ", r.revoked())) + (r.failures().isEmpty() ? "."
                        : "; failures: " + r.failures().size() + ".") + " The stored token set and the cached token"
                        + " were dropped" + (r.state() == ConnectionState.NEEDS_CONSENT ? "; a user must consent again."
                        : ": the next call gets a new token."));
                return report;
            }
            manager.get().invalidate();
            report.put("result", "REVOKED_LOCALLY");
            report.put("serverSideRevocation", false);
            report.put("state", manager.get().state().name());
            report.put("detail", LOCAL_REVOKE_DETAIL);
            return report;
        });
    }

    private ConnectionView view(ConnectionDefinition d) {
        Optional<TokenManager> manager = connections.tokenManager(d.name());
        Optional<Token> token = manager.flatMap(TokenManager::cachedToken);
        ConnectionView.LastError lastError = manager.flatMap(TokenManager::lastFailure).map(ConnectionRegistry::lastError)
                .orElse(null);
        return new ConnectionView(d.name(), policyName(d), String.valueOf(d.baseUrl()),
                d.oauthClient().map(c -> hostOf(c.tokenUrl())).orElseGet(() -> issuerHost(d)),
                d.oauthClient().map(ConnectionDefinition.OAuthClient::scopes).orElse(List.of()),
                manager.map(m -> m.state().name()).orElse(connections.subjectTokenExchange(d.name()).isPresent()
                        ? com.cameloauth.token.SubjectTokenExchange.STATE : STATIC),
                token.map(Token::expiresAt).orElse(null), token.map(Token::fingerprint).orElse(null),
                events.lastTokenObtained(d.name()).orElse(null), lastError, counts(d.name()),
                consentUrl.apply(d.name()));
    }

    private Map<String, Long> counts(String name) {
        Map<TokenEvent.Type, Long> byType = events.counts(name);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("tokenRequestsOk", byType.get(TokenEvent.Type.ACQUIRED) + byType.get(TokenEvent.Type.REFRESHED));
        counts.put("tokenRequestsFailed", byType.get(TokenEvent.Type.FAILED) + byType.get(TokenEvent.Type.REFRESH_FAILED));
        counts.put("replays", byType.get(TokenEvent.Type.REJECTED));
        counts.put("blocked", byType.get(TokenEvent.Type.BLOCKED));
        return counts;
    }

    private static ConnectionView.LastError lastError(OAuthTokenException e) {
        return new ConnectionView.LastError(e.errorCode().orElse(null), Math.max(e.httpStatus(), 0), SafeText.of(e.getMessage()));
    }

    /** The issuer's host, for a connection whose token endpoint is discovered from it. */
    private static String issuerHost(ConnectionDefinition d) {
        return d.security() instanceof com.cameloauth.connection.policy.OAuthPolicy p
                ? p.client().server().issuer().map(ConnectionRegistry::hostOf).orElse(null) : null;
    }

    /** Host and port only: no user info, path or query. */
    static String hostOf(URI url) {
        if (url == null || url.getHost() == null) {
            return null;
        }
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ':' + url.getPort();
    }

    /** The policy's configuration value; the one place that knows how a definition names its policy. */
    static String policyName(ConnectionDefinition d) {
        return d.policy().value();
    }
}
