package com.cameloauth.connection;

import java.util.Collections;
import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;

/**
 * Adds {@code OAUTH_CONNECTIONS_<NAME>_<KEY>} environment variables as connection properties (see
 * {@link EnvironmentConnections} for the rule). Quarkus finds it through
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; plain Camel adds it in
 * {@link ConnectionDefinitions#load}.
 */
public final class EnvironmentConnectionsFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<ConfigSource> sources;
        try {
            sources = context.getConfigSources();
        } catch (UnsupportedOperationException e) {
            return List.of();
        }
        EnvironmentConnections env = EnvironmentConnections.of(sources, context.iterateNames());
        return env.properties().isEmpty() ? Collections.emptyList() : List.of(env.source());
    }
}
