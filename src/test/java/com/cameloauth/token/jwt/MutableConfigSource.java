package com.cameloauth.token.jwt;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.spi.ConfigSource;

/** Properties that a test changes while the engine runs: a vault or a Kubernetes secret that was rotated. */
final class MutableConfigSource implements ConfigSource {
    private final Map<String, String> values = new ConcurrentHashMap<>();

    MutableConfigSource put(String key, String value) {
        values.put(key, value);
        return this;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.copyOf(values.keySet());
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "mutable";
    }

    @Override
    public int getOrdinal() {
        return 250;
    }
}
