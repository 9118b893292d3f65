package com.cameloauth.connection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.policy.ApiKeyPolicy;
import com.cameloauth.connection.policy.BasicPolicy;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.connection.policy.OAuthPolicy;
import com.cameloauth.connection.policy.SecurityPolicy;

/**
 * A validated, immutable connection: the remote API, its security policy and the token lifecycle settings.
 * Build it with {@link ConnectionDefinitions}, which validates every key. Its {@code toString} masks secrets.
 *
 * @param name       the connection name used in {@code oauth:<name>}
 * @param baseUrl    the API base URL
 * @param security   the security policy with the settings it needs
 * @param header     where the credential goes on an API request
 * @param timing     token lifetime and refresh settings
 * @param resilience retry, backoff and circuit settings for the token endpoint
 * @param timeouts   connect, read and token request timeouts
 * @param tls        the connection's key store (mutual TLS) and trust store, for token requests and API calls
 * @param dpop       DPoP-bound tokens (RFC 9449), when configured (OAuth policies only)
 */
public record ConnectionDefinition(String name, URI baseUrl, SecurityPolicy security, CredentialHeader header,
        TokenTiming timing, Resilience resilience, HttpTimeouts timeouts, TlsSettings tls, Optional<DpopSettings> dpop) {

    /** Without a key store or trust store of its own, and without DPoP. */
    public ConnectionDefinition(String name, URI baseUrl, SecurityPolicy security, CredentialHeader header,
            TokenTiming timing, Resilience resilience, HttpTimeouts timeouts) {
        this(name, baseUrl, security, header, timing, resilience, timeouts, TlsSettings.DEFAULT, Optional.empty());
    }

    public ConnectionDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(resilience, "resilience");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(dpop, "dpop");
    }

    /** The security policy's name. */
    public Policy policy() {
        return security.policy();
    }

    /**
     * The OAuth client settings as the token engine reads them: present when the policy is an OAuth one and its token
     * endpoint is known (configured; an endpoint still to be discovered from the issuer gives none).
     */
    public Optional<OAuthClient> oauthClient() {
        if (!(security instanceof OAuthPolicy oauth)) {
            return Optional.empty();
        }
        ClientRegistration c = oauth.client();
        return c.server().tokenUrl().map(tokenUrl -> new OAuthClient(tokenUrl, c.clientId(), c.clientSecret(),
                c.clientAuth(), c.scopes(), c.audience(), c.resources()));
    }

    /** Static credentials of the basic and api-key policies. */
    public Optional<StaticCredentials> credentials() {
        if (security instanceof BasicPolicy b) {
            return Optional.of(new BasicCredentials(b.username(), b.password()));
        }
        if (security instanceof ApiKeyPolicy k) {
            return Optional.of(new ApiKeyCredentials(k.headerName(), k.apiKey()));
        }
        return Optional.empty();
    }

    /** OAuth client registration and what to ask the token endpoint for (derived from {@link #security()}). */
    public record OAuthClient(URI tokenUrl, String clientId, Optional<Secret> clientSecret, ClientAuthMethod clientAuth,
            List<String> scopes, Optional<String> audience, List<URI> resources) {
        public OAuthClient {
            scopes = List.copyOf(scopes);
            resources = List.copyOf(resources);
        }
    }

    /** Static credentials of the non-OAuth policies (derived from {@link #security()}). */
    public sealed interface StaticCredentials permits BasicCredentials, ApiKeyCredentials {
    }

    /** User name and password for HTTP Basic. */
    public record BasicCredentials(String username, Secret password) implements StaticCredentials {
    }

    /** An API key sent in a header. */
    public record ApiKeyCredentials(String headerName, Secret apiKey) implements StaticCredentials {
    }

    /** The header that carries an access token: {@code <name>: <prefix> <token>}. */
    public record CredentialHeader(String name, String prefix) {
        /** The header value for a token: the prefix, a space and the token, or the bare token when the prefix is empty. */
        public String valueFor(String token) {
            return prefix.isEmpty() ? token : prefix + ' ' + token;
        }
    }

    /**
     * Token lifetime rules.
     *
     * @param refreshSkew      refresh this long before expiry; empty means a fifth of the lifetime, less jitter
     * @param defaultExpiresIn lifetime assumed when the response has no expires_in
     * @param maxExpiresIn     longest lifetime believed
     * @param minFetchInterval shortest interval between requests for tokens that cannot be cached
     */
    public record TokenTiming(Optional<Duration> refreshSkew, Duration defaultExpiresIn, Duration maxExpiresIn,
            Duration minFetchInterval) {
    }

    /** Retry, backoff and circuit breaker settings for the token endpoint. */
    public record Resilience(int maxAttempts, Duration retryBackoff, Duration maxRetryAfter, int circuitFailureThreshold,
            Duration circuitOpenDuration) {
    }

    /**
     * Timeouts.
     *
     * @param connect connect timeout for token and API requests
     * @param read    read timeout (between two packets) for token and API requests
     * @param request deadline for one token request as a whole, and for a caller waiting on a token in flight
     */
    public record HttpTimeouts(Duration connect, Duration read, Duration request) {
    }
}
