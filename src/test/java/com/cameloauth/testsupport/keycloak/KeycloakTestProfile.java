package com.cameloauth.testsupport.keycloak;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * {@code @TestProfile(KeycloakTestProfile.class)}: a {@code @QuarkusTest} with {@link KeycloakTestResource} and
 * without Dev Services (quarkus-oidc-client would otherwise look for Docker).
 */
public class KeycloakTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.devservices.enabled", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KeycloakTestResource.class));
    }
}
