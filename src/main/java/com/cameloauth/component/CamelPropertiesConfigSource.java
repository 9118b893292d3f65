package com.cameloauth.component;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Camel's properties under {@code oauth.}, seen as a SmallRye Config source, so plain Camel reads connections with the
 * same mapping as Quarkus. Values are resolved by Camel first: {@code {{placeholders}}}, {@code {{env:X}}} and vault
 * functions work.
 */
final class CamelPropertiesConfigSource implements ConfigSource {
    /** Below environment variables (300) and system properties (400), as application.properties is in Quarkus. */
    static final int ORDINAL = 250;

    private final Map<String, String> values;

    CamelPropertiesConfigSource(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Properties raw = pc.loadProperties(key -> key.startsWith("oauth."));
        Map<String, String> resolved = new HashMap<>();
        for (String key : raw.stringPropertyNames()) {
            resolved.put(key, pc.resolveProperty(key).orElse(raw.getProperty(key)));
        }
        this.values = Map.copyOf(resolved);
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "CamelPropertiesComponent";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
