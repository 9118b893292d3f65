package com.cameloauth.userit;

import static com.cameloauth.userit.UseritRealm.PASSWORD_CLIENT;
import static com.cameloauth.userit.UseritRealm.PASSWORD_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.testsupport.keycloak.KeycloakExtension;
import com.cameloauth.testsupport.keycloak.KeycloakServer;
import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenManager;

/**
 * Policy {@code password} against the real Keycloak: a password grant, then refreshes with the refresh token; when
 * Keycloak refuses the refresh token ({@code invalid_grant} after an admin signs the user out) the engine drops it and
 * makes exactly one fresh password grant, no retry loop. Keycloak's events count each grant type.
 */
@ExtendWith(KeycloakExtension.class)
class PasswordPolicyIT {
    private static final String NAME = "dave";

    private final UseritRealm realm;

    PasswordPolicyIT(KeycloakServer keycloak) {
        this.realm = UseritRealm.in(keycloak);
    }

    @Test
    void passwordPolicyRefreshesAndStartsOverWithOnePasswordGrantWhenKeycloakRefusesTheRefreshToken() {
        UseritRealm.Events seen = realm.eventsFromNow(PASSWORD_CLIENT);
        Map<String, String> properties = new HashMap<>(realm.connection(NAME, "password", PASSWORD_CLIENT));
        properties.put("oauth.connections." + NAME + ".username", PASSWORD_USER);
        properties.put("oauth.connections." + NAME + ".password", UseritRealm.passwordOf(PASSWORD_USER));
        List<TokenEvent> events = new CopyOnWriteArrayList<>();
        try (OAuthConnections engine = OAuthConnections.builder(ConnectionDefinitions.fromProperties(properties))
                .build()) {
            engine.addListener(events::add);
            TokenManager manager = engine.tokenManager(NAME).orElseThrow();

            Token first = manager.currentToken();
            assertEquals(PASSWORD_USER, userinfo(first));
            seen.await("LOGIN", 1);

            Token refreshed = manager.refresh();
            assertNotEquals(first.fingerprint(), refreshed.fingerprint());
            assertEquals(PASSWORD_USER, userinfo(refreshed));
            seen.await("REFRESH_TOKEN", 1);
            assertEquals(1, seen.count("LOGIN"), "the refresh token was used, not the password");

            realm.logOutUser(PASSWORD_USER); // the admin signs the user out: the session's refresh token stops working
            Token afterLogout = manager.refresh();
            assertEquals(PASSWORD_USER, userinfo(afterLogout));
            assertEquals(ConnectionState.ACTIVE, manager.state());

            seen.await("LOGIN", 2);
            seen.await("REFRESH_TOKEN_ERROR", 1);
            assertEquals(2, seen.count("LOGIN"), "exactly one fresh password grant");
            assertEquals(1, seen.count("REFRESH_TOKEN_ERROR"), "the refused refresh is not retried");
            assertEquals(1, seen.count("REFRESH_TOKEN"));
            assertEquals(1, events.stream().filter(e -> e.type() == TokenEvent.Type.REFRESH_TOKEN_REJECTED).count(),
                    events.toString());
            String password = UseritRealm.passwordOf(PASSWORD_USER);
            assertTrue(events.stream().noneMatch(e -> String.valueOf(e).contains(password)));

            // and the new session's refresh token works again
            assertEquals(PASSWORD_USER, userinfo(manager.refresh()));
            seen.await("REFRESH_TOKEN", 2);
            assertEquals(2, seen.count("LOGIN"));
        }
    }

    private String userinfo(Token token) {
        var response = realm.userinfo(token.value());
        assertEquals(200, response.statusCode(), "userinfo accepts the token");
        return UseritRealm.json(response.body()).path("preferred_username").asText();
    }
}
