package com.cameloauth.quarkus;

import java.time.Clock;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.quarkus.main.events.BeforeStart;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.cameloauth.component.OAuthComponent;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.connection.OAuthSettings;
import com.cameloauth.connection.OAuthConfig;
import com.cameloauth.observe.AuditLog;
import com.cameloauth.observe.OAuthMetrics;
import com.cameloauth.token.OAuthConnections;

/**
 * The {@code oauth:} component for Camel Quarkus: connections come from the {@code oauth.connections.*} keys that
 * Quarkus maps into {@link OAuthConfig}, are validated when the application starts (all problems at once, one line
 * each), and are closed at shutdown.
 */
@Singleton
public class OAuthConnectionsProducer {
    private static final Logger LOG = Logger.getLogger(OAuthConnectionsProducer.class);

    /** Quarkus OIDC clients, for connections with policy oidc-client (absent when built without CDI). */
    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<io.quarkus.oidc.client.OidcClients> oidcClients;

    @Produces
    @Singleton
    OAuthConnections connections(OAuthConfig config, Config rawConfig) {
        OAuthSettings settings = ConnectionDefinitions.settings(config, rawConfig);
        OAuthConnections.Builder builder = OAuthConnections.builder(settings.connections()).store(settings.store())
                .reread(ConnectionDefinitions.rereading(rawConfig));
        if (oidcClients != null) {
            com.cameloauth.quarkus.oidcclient.OidcClientTokens.register(builder, settings.connections(), oidcClients::get);
        }
        OAuthConnections connections = builder.build();
        connections.addListener(new AuditLog());
        return connections;
    }

    /** Quarkus Micrometer binds every MeterBinder bean: oauth.token.events, oauth.token.expires.in, oauth.connection.up. */
    @Produces
    @Singleton
    OAuthMetrics metrics(OAuthConnections connections) {
        return new OAuthMetrics(connections, Clock.systemUTC());
    }

    void close(@Disposes OAuthConnections connections) {
        connections.close();
    }

    /** Camel Quarkus resolves {@code oauth:} URIs to this bean; it shares the connections above. */
    @Produces
    @Singleton
    @Named("oauth")
    OAuthComponent oauthComponent(OAuthConnections connections) {
        return new OAuthComponent(connections);
    }

    /**
     * Validates the connections before Camel starts its routes, so a bad connection fails startup with its own
     * message as the cause (not "cannot create component oauth"), even when no route uses it.
     */
    void validateBeforeCamelStarts(@Observes BeforeStart event, OAuthConnections connections) {
        LOG.infof("OAuth connections: %s", connections.names().isEmpty() ? "none"
                : connections.names().stream().map(n -> n + " (" + connections.definition(n).orElseThrow().policy() + ")")
                        .collect(Collectors.joining(", ")));
    }
}
