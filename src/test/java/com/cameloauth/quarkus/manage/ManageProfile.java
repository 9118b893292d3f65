package com.cameloauth.quarkus.manage;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The demo app plus two connections against the demo authorization server that no route uses: {@code spare-api}
 * (good credentials, so tests drive its state alone) and {@code broken-api} (a wrong secret, so it fails with
 * {@code invalid_client}). Shared by every management test so the app starts once for all of them.
 */
public class ManageProfile implements QuarkusTestProfile {
    static final int PORT = Integer.getInteger("test-ports.manage", 18191);
    static final String BROKEN_SECRET = "wrong-secret-for-the-demo";

    @Override
    public Map<String, String> getConfigOverrides() {
        String demo = "http://127.0.0.1:${quarkus.http.test-port}/demo";
        return Map.ofEntries(
                // not the default 18181: other suites on this machine may hold it while this one runs
                Map.entry("quarkus.http.test-port", String.valueOf(PORT)),
                Map.entry("oauth.connections.spare-api.policy", "client-credentials"),
                Map.entry("oauth.connections.spare-api.base-url", demo + "/api"),
                Map.entry("oauth.connections.spare-api.token-url", demo + "/oauth/token"),
                Map.entry("oauth.connections.spare-api.client-id", "orders-client"),
                Map.entry("oauth.connections.spare-api.client-secret", "demo-orders-secret"),
                Map.entry("oauth.connections.spare-api.scopes", "orders:read"),
                Map.entry("oauth.connections.spare-api.allow-insecure", "true"),
                Map.entry("oauth.connections.broken-api.policy", "client-credentials"),
                Map.entry("oauth.connections.broken-api.base-url", demo + "/api"),
                Map.entry("oauth.connections.broken-api.token-url", demo + "/oauth/token"),
                Map.entry("oauth.connections.broken-api.client-id", "shipping-client"),
                Map.entry("oauth.connections.broken-api.client-secret", BROKEN_SECRET),
                Map.entry("oauth.connections.broken-api.scopes", "shipments:read"),
                Map.entry("oauth.connections.broken-api.allow-insecure", "true"),
                // one attempt: invalid_client is not retried anyway; keeps the Test button quick
                Map.entry("oauth.connections.broken-api.max-attempts", "1"));
    }
}
