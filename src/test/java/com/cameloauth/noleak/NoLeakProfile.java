package com.cameloauth.noleak;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The app with the connections of {@link NoLeakTestResource}, our own logging at DEBUG so the scan sees the most. */
public class NoLeakProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.devservices.enabled", "false",
                "quarkus.log.category.\"com.cameloauth\".level", "DEBUG");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(NoLeakTestResource.class));
    }
}
