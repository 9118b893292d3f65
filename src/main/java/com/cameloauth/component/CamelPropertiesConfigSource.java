package com.cameloauth.component;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.eclipse.microprofile.config.spi.ConfigSource;

import com.cameloauth.connection.UnresolvedValues;

/**
 * Camel's properties under {@code oauth.}, seen as a SmallRye Config source, so plain Camel reads connections with the
 * same mapping as Quarkus. Values are resolved by Camel first: {@code {{placeholders}}}, {@code {{env:X}}} and vault
 * functions work. A value Camel cannot resolve is left out and reported by {@link #unresolved()}, naming what is
 * missing: Camel would otherwise hand back the placeholder text, which would be sent as the credential.
 */
final class CamelPropertiesConfigSource implements ConfigSource, UnresolvedValues {
    /** Below environment variables (300) and system properties (400), as application.properties is in Quarkus. */
    static final int ORDINAL = 250;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");
    /**
     * Camel's vault functions. Without its component on the classpath, Camel reads {@code {{aws:orders/secret}}} as the
     * property {@code aws} with the default {@code orders/secret}: the path would become the secret.
     */
    private static final Set<String> VAULTS = Set.of("aws", "gcp", "azure", "hashicorp", "ibm", "cyberark", "kubernetes",
            "configmap", "configmap-binary", "secret", "secret-binary", "spring-cloud-config");

    private final Map<String, String> values;
    private final Map<String, String> unresolved;

    CamelPropertiesConfigSource(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Properties raw = pc.loadProperties(key -> key.startsWith("oauth."));
        Map<String, String> resolved = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (String key : raw.stringPropertyNames()) {
            String text = raw.getProperty(key);
            String problem = missingVault(pc, text);
            if (problem == null) {
                Optional<String> value;
                try {
                    value = pc.resolveProperty(key);
                } catch (RuntimeException e) {
                    value = Optional.empty();
                }
                if (value.isPresent()) {
                    resolved.put(key, value.get());
                } else if (text.contains("{{")) {
                    problem = unresolvable(pc, text);
                } else {
                    resolved.put(key, text);
                }
            }
            if (problem != null) {
                problems.put(key, problem);
            }
        }
        this.values = Map.copyOf(resolved);
        this.unresolved = Map.copyOf(problems);
    }

    private static String missingVault(PropertiesComponent pc, String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            int colon = m.group(1).indexOf(':');
            String function = colon < 0 ? "" : m.group(1).substring(0, colon);
            if (VAULTS.contains(function) && pc.getPropertiesFunction(function) == null) {
                return "'" + m.group() + "' was not resolved: Camel has no '" + function + "' properties function (add the"
                        + " Camel component of that vault and configure it)";
            }
        }
        return null;
    }

    /** What the first placeholder that Camel cannot resolve is missing. */
    private static String unresolvable(PropertiesComponent pc, String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            try {
                pc.parseUri(m.group());
            } catch (RuntimeException e) {
                String placeholder = m.group(1);
                if (placeholder.startsWith("env:")) {
                    return "variable '" + placeholder.substring(4) + "' is not set (" + m.group() + ")";
                }
                if (placeholder.startsWith("sys:")) {
                    return "system property '" + placeholder.substring(4) + "' is not set (" + m.group() + ")";
                }
                if (!placeholder.contains(":")) {
                    return "property '" + placeholder + "' is not set (" + m.group() + ")";
                }
                return "'" + m.group() + "' could not be resolved";
            }
        }
        return "a {{...}} placeholder in it could not be resolved";
    }

    @Override
    public Map<String, String> unresolved() {
        return unresolved;
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
