package com.cameloauth.token.store;

import static com.cameloauth.token.store.Tokens.NOW;
import static com.cameloauth.token.store.Tokens.rotated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.cameloauth.token.Token;

class TokenSetAndStoreKeyTest {

    @Test
    void toStringShowsFingerprintsNeverTokens() {
        TokenSet set = rotated(1);

        String shown = set.toString();

        assertFalse(shown.contains(set.accessToken()), shown);
        assertFalse(shown.contains(set.refreshToken().orElseThrow()), shown);
        assertTrue(shown.contains(set.accessTokenFingerprint()), shown);
        assertTrue(shown.contains(set.refreshTokenFingerprint().orElseThrow()), shown);
    }

    @Test
    void fingerprintIsTheEnginesSoLogsCorrelate() {
        assertEquals(Token.fingerprint("some-token"), TokenSet.fingerprint("some-token"));
    }

    @Test
    void refreshTokenIsUsableUntilItsExpiry() {
        TokenSet set = rotated(1);

        assertTrue(set.hasUsableRefreshTokenAt(NOW.plusSeconds(1799)));
        assertFalse(set.hasUsableRefreshTokenAt(NOW.plusSeconds(1800)));
        assertFalse(set.withoutRefreshToken().hasUsableRefreshTokenAt(NOW));
        assertTrue(set.isAccessTokenValidAt(NOW.plusSeconds(299)));
        assertFalse(set.isAccessTokenValidAt(NOW.plusSeconds(300)));
    }

    @Test
    void keyIgnoresScopeOrderButChangesWithEverySetting() {
        StoreKey key = StoreKey.of("orders", "https://idp/token", "client", List.of("a", "b"), "authorization_code");

        assertEquals(key, StoreKey.of("orders", "https://idp/token", "client", List.of("b", "a", "a"), "authorization_code"));
        assertNotEquals(key, StoreKey.of("orders", "https://idp2/token", "client", List.of("a", "b"), "authorization_code"));
        assertNotEquals(key, StoreKey.of("orders", "https://idp/token", "client2", List.of("a", "b"), "authorization_code"));
        assertNotEquals(key, StoreKey.of("orders", "https://idp/token", "client", List.of("a"), "authorization_code"));
        assertNotEquals(key, StoreKey.of("orders", "https://idp/token", "client", List.of("a", "b"), "password"));
        assertNotEquals(key, StoreKey.of("orders", "https://idp/token", "client", List.of("a", "b"), "authorization_code", "alice"));
        assertNotEquals(key, StoreKey.of("billing", "https://idp/token", "client", List.of("a", "b"), "authorization_code"));
        assertNotEquals(StoreKey.of("c", "u", "ab", List.of(), "g"), StoreKey.of("c", "ua", "b", List.of(), "g"),
                "fields are length-prefixed");
    }

    @Test
    void keyStringNamesTheConnectionAndHidesTheClientId() {
        StoreKey key = StoreKey.of("orders", "https://idp/token", "my-client-id", List.of("a"), "client_credentials");

        assertTrue(key.value().startsWith("orders@"), key.value());
        assertEquals(key.value(), key.toString());
        assertFalse(key.value().contains("my-client-id"));
        assertFalse(key.value().contains("idp"));
    }
}
