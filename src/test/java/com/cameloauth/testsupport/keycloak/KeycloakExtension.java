package com.cameloauth.testsupport.keycloak;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(KeycloakExtension.class)}: starts the JVM's {@link KeycloakServer} before the class (once per
 * JVM) and resolves {@code KeycloakServer} parameters of constructors, lifecycle methods and tests.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        KeycloakServer.get();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KeycloakServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return KeycloakServer.get();
    }
}
