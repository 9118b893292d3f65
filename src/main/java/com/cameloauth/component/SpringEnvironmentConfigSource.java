package com.cameloauth.component;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Camel Spring Boot: the {@code oauth.*} keys of Spring's {@code Environment} (application.properties, profiles,
 * environment variables, {@code ${...}} placeholders), which Camel's properties component resolves one by one but
 * cannot list, so connections defined there would go unseen. Read by reflection: Spring is not a dependency.
 */
final class SpringEnvironmentConfigSource implements ConfigSource {
    /** Above Camel's own properties (250), below environment variables (300) and system properties (400). */
    static final int ORDINAL = 260;
    private static final String ENVIRONMENT = "org.springframework.core.env.ConfigurableEnvironment";
    private static final String ENUMERABLE = "org.springframework.core.env.EnumerablePropertySource";

    private final Map<String, String> values;

    private SpringEnvironmentConfigSource(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The Spring Environment in the Camel registry (Camel Spring Boot), if any. */
    static Optional<ConfigSource> of(CamelContext camel) {
        ClassLoader loader = OAuthComponent.class.getClassLoader();
        Class<?> environmentType;
        Class<?> enumerableType;
        try {
            environmentType = Class.forName(ENVIRONMENT, false, loader);
            enumerableType = Class.forName(ENUMERABLE, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        Set<?> environments = camel.getRegistry().findByType(environmentType);
        if (environments.size() != 1) {
            return Optional.empty();
        }
        Object environment = environments.iterator().next();
        try {
            Method propertySources = environmentType.getMethod("getPropertySources");
            Method propertyNames = enumerableType.getMethod("getPropertyNames");
            Method getProperty = environmentType.getMethod("getProperty", String.class);
            Map<String, String> values = new HashMap<>();
            for (Object source : (Iterable<?>) propertySources.invoke(environment)) {
                if (enumerableType.isInstance(source)) {
                    for (String name : (String[]) propertyNames.invoke(source)) {
                        if (name.startsWith("oauth.") && !values.containsKey(name)) {
                            Object value = getProperty.invoke(environment, name);
                            if (value != null) {
                                values.put(name, value.toString());
                            }
                        }
                    }
                }
            }
            return Optional.of(new SpringEnvironmentConfigSource(values));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the oauth.* properties of Spring's Environment: " + e, e);
        }
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
        return "SpringEnvironment";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
