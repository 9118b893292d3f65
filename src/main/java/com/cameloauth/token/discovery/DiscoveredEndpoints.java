package com.cameloauth.token.discovery;

import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.policy.AuthorizationCodePolicy;
import com.cameloauth.connection.policy.AuthorizationServer;
import com.cameloauth.connection.policy.ClientCredentialsPolicy;
import com.cameloauth.connection.policy.ClientRegistration;
import com.cameloauth.connection.policy.OAuthPolicy;
import com.cameloauth.connection.policy.PasswordPolicy;
import com.cameloauth.connection.policy.JwtBearerPolicy;
import com.cameloauth.connection.policy.RefreshTokenPolicy;
import com.cameloauth.connection.policy.TokenExchangePolicy;
import com.cameloauth.connection.policy.SecurityPolicy;

/** Where a connection's endpoints come from: each configured URL wins; an endpoint left empty comes from the metadata. */
public final class DiscoveredEndpoints {
    private DiscoveredEndpoints() {
    }

    /** The server with its empty endpoints filled from the metadata; configured ones are kept as they are. */
    public static AuthorizationServer merge(AuthorizationServer configured, ServerMetadata metadata) {
        return new AuthorizationServer(configured.issuer(), or(configured.tokenUrl(), metadata.tokenEndpoint()),
                or(configured.authorizationUrl(), metadata.authorizationEndpoint()),
                or(configured.revocationUrl(), metadata.revocationEndpoint()),
                or(configured.introspectionUrl(), metadata.introspectionEndpoint()));
    }

    /**
     * The definition with its server's endpoints completed from the metadata. Throws {@link DiscoveryException} when
     * the token endpoint is still unknown (the metadata has none and token-url is not set).
     */
    public static ConnectionDefinition resolve(ConnectionDefinition d, ServerMetadata metadata) {
        if (!(d.security() instanceof OAuthPolicy oauth)) {
            return d;
        }
        ClientRegistration c = oauth.client();
        AuthorizationServer server = merge(c.server(), metadata);
        if (server.tokenUrl().isEmpty()) {
            throw new DiscoveryException(d.name(), "the issuer's metadata has no token_endpoint; set the key token-url", 0);
        }
        ClientRegistration client = new ClientRegistration(c.clientId(), c.clientSecret(), c.clientAuth(), server,
                c.scopes(), c.audience(), c.resources());
        return new ConnectionDefinition(d.name(), d.baseUrl(), withClient(d, client), d.header(), d.timing(),
                d.resilience(), d.timeouts(), d.tls(), d.dpop());
    }

    /** Whether a connection has endpoints to discover: an issuer, and some endpoint not configured. */
    public static boolean discoverable(ConnectionDefinition d) {
        if (!(d.security() instanceof OAuthPolicy oauth)) {
            return false;
        }
        AuthorizationServer s = oauth.client().server();
        return s.issuer().isPresent() && (s.tokenUrl().isEmpty() || s.authorizationUrl().isEmpty()
                || s.revocationUrl().isEmpty() || s.introspectionUrl().isEmpty());
    }

    private static SecurityPolicy withClient(ConnectionDefinition d, ClientRegistration client) {
        SecurityPolicy p = d.security();
        if (p instanceof ClientCredentialsPolicy) {
            return new ClientCredentialsPolicy(client);
        }
        if (p instanceof PasswordPolicy pw) {
            return new PasswordPolicy(client, pw.username(), pw.password());
        }
        if (p instanceof AuthorizationCodePolicy ac) {
            return new AuthorizationCodePolicy(client, ac.redirectUri());
        }
        if (p instanceof RefreshTokenPolicy rt) {
            return new RefreshTokenPolicy(client, rt.refreshToken());
        }
        if (p instanceof JwtBearerPolicy jb) {
            return new JwtBearerPolicy(client, jb.key(), jb.algorithm(), jb.subject(), jb.issuer(), jb.audience(),
                    jb.extraClaims(), jb.lifetime());
        }
        if (p instanceof TokenExchangePolicy te) {
            return new TokenExchangePolicy(client, te.subjectConnection(), te.subjectTokenFromHeader(),
                    te.subjectTokenType(), te.requestedTokenType());
        }
        throw new DiscoveryException(d.name(), "discovery from the issuer is not available for policy '" + d.policy()
                + "'; configure token-url", 0);
    }

    private static <T> Optional<T> or(Optional<T> configured, Optional<T> discovered) {
        return configured.isPresent() ? configured : discovered;
    }
}
