package com.cameloauth.token;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinitions;

/** A client-credentials connection named {@value #NAME} against a local token endpoint, plus the engine around it. */
final class TestConnection {
    static final String NAME = "orders";
    static final String CLIENT_ID = "orders-client";
    /** Distinctive, so that a test can prove it never shows up in a message, event or toString. */
    static final String CLIENT_SECRET = "s3cr3t-Qx7Vb-never-shown";
    static final String TOKEN_PATH = "/token";

    private final Map<String, String> properties = new LinkedHashMap<>();

    private TestConnection(int port) {
        with("policy", "client-credentials");
        with("base-url", "http://127.0.0.1:" + port + "/api");
        with("token-url", "http://127.0.0.1:" + port + TOKEN_PATH);
        with("client-id", CLIENT_ID);
        with("client-secret", CLIENT_SECRET);
        with("allow-insecure", "true");
    }

    static TestConnection onPort(int port) {
        return new TestConnection(port);
    }

    TestConnection with(String key, String value) {
        properties.put("oauth.connections." + NAME + "." + key, value);
        return this;
    }

    Map<String, ConnectionDefinition> definitions() {
        return ConnectionDefinitions.fromProperties(properties);
    }

    OAuthConnections engine(MutableClock clock, Sleeper sleeper, Executor executor, TokenEventListener listener) {
        OAuthConnections engine = OAuthConnections.builder(definitions()).clock(clock).sleeper(sleeper).executor(executor)
                .build();
        engine.addListener(listener);
        return engine;
    }
}
