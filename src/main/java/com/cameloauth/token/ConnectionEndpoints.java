package com.cameloauth.token;

import java.net.URI;
import java.util.function.Function;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.policy.OAuthPolicy;
import com.cameloauth.token.discovery.DiscoveredEndpoints;
import com.cameloauth.token.discovery.MetadataDiscovery;

/**
 * One OAuth connection's endpoints and token endpoint client. Configured URLs are used as they are; endpoints left
 * empty are discovered from the issuer on first use (not at start: an authorization server that is down at start
 * must not keep the application from starting), and a discovery failure is a token request failure like any other.
 */
final class ConnectionEndpoints {
    private final ConnectionDefinition configured;
    private final MetadataDiscovery discovery;
    private final Function<ConnectionDefinition, TokenEndpointClient> clients;
    private volatile ConnectionDefinition resolved;
    private volatile TokenEndpointClient client;

    ConnectionEndpoints(ConnectionDefinition configured, MetadataDiscovery discovery,
            Function<ConnectionDefinition, TokenEndpointClient> clients) {
        this.configured = configured;
        this.discovery = discovery;
        this.clients = clients;
        this.resolved = DiscoveredEndpoints.discoverable(configured) ? null : configured;
    }

    /** The definition with every endpoint the issuer's metadata adds; reads the metadata when not done yet. */
    ConnectionDefinition definition() {
        ConnectionDefinition d = resolved;
        if (d == null) {
            URI issuer = ((OAuthPolicy) configured.security()).client().server().issuer().orElseThrow();
            d = DiscoveredEndpoints.resolve(configured, discovery.metadata(configured.name(), issuer,
                    configured.timeouts(), configured.timing().minFetchInterval()));
            resolved = d;
        }
        return d;
    }

    /** The token endpoint client: at once when token-url is configured, else after discovery. */
    TokenEndpointClient client() {
        TokenEndpointClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = clients.apply(configured.oauthClient().isPresent() ? configured : definition());
                }
                c = client;
            }
        }
        return c;
    }

    /** What identifies the token endpoint in the store key: the token URL when configured, else the issuer. */
    String storeBinding() {
        return configured.oauthClient().map(c -> c.tokenUrl().toString()).orElseGet(() -> ((OAuthPolicy) configured
                .security()).client().server().issuer().orElseThrow().toString());
    }

    OAuthPolicy policy() {
        return (OAuthPolicy) definition().security();
    }
}
