package com.cameloauth.component;

import java.time.Clock;
import java.util.Set;

import org.apache.camel.CamelContext;

import com.cameloauth.observe.OAuthMetrics;
import com.cameloauth.token.OAuthConnections;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Binds {@link OAuthMetrics} to the application's {@link MeterRegistry} when the Camel registry has one (Spring Boot
 * actuator, camel-main with Micrometer). Only loaded when Micrometer is on the class path: the component checks first.
 */
final class MeterRegistryBinding {
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MeterRegistryBinding() {
    }

    static boolean micrometerPresent(CamelContext camel) {
        try {
            Class.forName(METER_REGISTRY, false, OAuthComponent.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Returns the listener to remove at stop, or null when there is no MeterRegistry. */
    static OAuthMetrics bind(CamelContext camel, OAuthConnections connections, Clock clock) {
        // Spring Boot with several registries also has a primary composite over them: bind there, once
        Set<MeterRegistry> registries = camel.getRegistry().findByType(MeterRegistry.class);
        MeterRegistry registry = registries.size() == 1 ? registries.iterator().next()
                : registries.stream().filter(CompositeMeterRegistry.class::isInstance).findFirst().orElse(null);
        if (registry == null) {
            return null;
        }
        OAuthMetrics metrics = new OAuthMetrics(connections, clock);
        metrics.bindTo(registry);
        return metrics;
    }
}
