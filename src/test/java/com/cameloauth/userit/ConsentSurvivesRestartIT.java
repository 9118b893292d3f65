package com.cameloauth.userit;

import static com.cameloauth.userit.UseritRealm.PUBLIC_CLIENT;
import static com.cameloauth.userit.UseritRealm.RESTART_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.cameloauth.component.OAuthComponent;
import com.cameloauth.component.OAuthConstants;
import com.cameloauth.testsupport.browser.CallbackReceiver;
import com.cameloauth.testsupport.browser.HeadlessChromium;
import com.cameloauth.testsupport.browser.KeycloakLoginPage;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.ConsentRequiredException;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;

/**
 * C16 against the real Keycloak, in plain Camel: a user consents once on Keycloak's login page (headless Chromium,
 * public client, PKCE S256), a route calls Keycloak's userinfo through the {@code oauth:} component; the CamelContext
 * stops, a new one starts on the same encrypted file ({@code oauth.store.type=file}) and calls again with no browser,
 * no consent and no login at Keycloak; its stored refresh token works too (a REFRESH_TOKEN event, still no login).
 */
@ExtendWith(KeycloakExtension.class)
class ConsentSurvivesRestartIT {
    private static final String NAME = "me";
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(60);

    private final UseritRealm realm;

    @TempDir
    Path dir;

    ConsentSurvivesRestartIT(KeycloakServer keycloak) {
        this.realm = UseritRealm.in(keycloak);
    }

    @Test
    void consentedConnectionCallsUserinfoAfterARestartOnTheFileStoreWithoutAnotherConsent() throws Exception {
        UseritRealm.Events seen = realm.eventsFromNow(PUBLIC_CLIENT);
        try (CallbackReceiver callbacks = CallbackReceiver.start()) {
            Properties properties = properties(callbacks.redirectUri());

            CamelContext first = camel(properties);
            String accessToken;
            try {
                Exchange before = first.createProducerTemplate().request("direct:me", e -> { });
                assertInstanceOf(ConsentRequiredException.class, before.getException(), "no call before consent");

                String url = first.createProducerTemplate().requestBody("direct:consent-url", null, String.class);
                connections(first).completeConsent(logInInChromium(URI.create(url), callbacks));

                assertEquals(RESTART_USER, userinfo(first));
                accessToken = first.createProducerTemplate().request("direct:token", e -> { }).getMessage()
                        .getHeader(OAuthConstants.ACCESS_TOKEN, String.class);
            } finally {
                first.stop();
            }
            seen.await("CODE_TO_TOKEN", 1);
            assertEquals(1, seen.count("LOGIN"), "one login on Keycloak's page");
            assertEquals(1, seen.count("CODE_TO_TOKEN"), "one code redeemed");
            assertEquals(0, seen.count("REFRESH_TOKEN"));
            byte[] file = Files.readAllBytes(dir.resolve("tokens.store"));
            assertFalse(new String(file, StandardCharsets.ISO_8859_1).contains(accessToken),
                    "the store file holds no token in clear");

            // the restart: a new CamelContext, a new engine, the same file; no browser from here on
            CamelContext second = camel(properties);
            List<TokenEvent> events = new CopyOnWriteArrayList<>();
            connections(second).addListener(events::add);
            try {
                assertEquals(RESTART_USER, userinfo(second), "the call works with the stored token");
                assertEquals(ConnectionState.ACTIVE, connections(second).tokenManager(NAME).orElseThrow().state());
                assertEquals(1, seen.count("LOGIN"), "no new login");
                assertEquals(1, seen.count("CODE_TO_TOKEN"), "no new code");
                assertEquals(0, seen.count("REFRESH_TOKEN"), "the stored access token was still valid");

                Exchange refreshed = second.createProducerTemplate().request("direct:refresh", e -> { });
                assertNull(refreshed.getException());
                seen.await("REFRESH_TOKEN", 1);
                assertEquals(RESTART_USER, userinfo(second), "the call works with the refreshed token");

                assertEquals(1, seen.count("REFRESH_TOKEN"), "the stored refresh token was used");
                assertEquals(0, seen.count("REFRESH_TOKEN_ERROR"));
                assertEquals(1, seen.count("LOGIN"), "still no new login");
                assertEquals(1, seen.count("CODE_TO_TOKEN"), "still no new code");
                assertTrue(events.stream().noneMatch(e -> e.type() == TokenEvent.Type.CONSENT_REQUIRED), events.toString());
            } finally {
                second.stop();
            }
        }
    }

    private Properties properties(URI redirectUri) {
        Properties p = new Properties();
        p.putAll(realm.connection(NAME, "authorization-code", PUBLIC_CLIENT));
        String prefix = "oauth.connections." + NAME + ".";
        p.setProperty(prefix + "authorization-url", realm.authorizationUrl());
        p.setProperty(prefix + "redirect-uri", redirectUri.toString());
        p.setProperty(prefix + "issuer", realm.issuer());
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 42);
        p.setProperty("oauth.store.type", "file");
        p.setProperty("oauth.store.file.path", dir.resolve("tokens.store").toString());
        p.setProperty("oauth.store.encryption-key", Base64.getEncoder().encodeToString(key));
        return p;
    }

    private static CamelContext camel(Properties properties) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:me").setHeader(Exchange.HTTP_METHOD, constant("GET")).to("oauth:" + NAME + "/userinfo");
                from("direct:consent-url").to("oauth:" + NAME + "?operation=consent-url");
                from("direct:token").to("oauth:" + NAME + "?operation=token");
                from("direct:refresh").to("oauth:" + NAME + "?operation=refresh");
            }
        });
        camel.start();
        return camel;
    }

    private static OAuthConnections connections(CamelContext camel) {
        return ((OAuthComponent) camel.getComponent("oauth")).getConnections();
    }

    /** Calls userinfo through the connection; returns the user Keycloak names. */
    private static String userinfo(CamelContext camel) {
        Exchange out = camel.createProducerTemplate().request("direct:me", e -> { });
        assertNull(out.getException(), () -> "the call failed: " + out.getException());
        assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        return UseritRealm.json(out.getMessage().getBody(String.class)).path("preferred_username").asText();
    }

    /** A fresh browser profile: the user logs in on Keycloak's page; returns the callback the browser brought. */
    private static URI logInInChromium(URI authorizationRequest, CallbackReceiver callbacks) {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            KeycloakLoginPage.logIn(chromium.driver(), authorizationRequest, RESTART_USER,
                    UseritRealm.passwordOf(RESTART_USER));
            try {
                return callbacks.awaitCallback(BROWSER_TIMEOUT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the browser shows '" + chromium.driver().getTitle()
                        + "' at " + chromium.driver().getCurrentUrl(), e);
            }
        }
    }
}
