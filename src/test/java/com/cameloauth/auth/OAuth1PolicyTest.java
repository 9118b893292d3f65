package com.cameloauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.cameloauth.connection.ConnectionConfigurationException;
import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.connection.Policy;
import com.cameloauth.connection.policy.OAuth1Policy;
import com.cameloauth.connection.policy.OAuth1Policy.SignatureMethod;

/** Reading {@code policy=oauth1}: its keys, defaults and the one-line problems for bad values; secrets never shown. */
class OAuth1PolicyTest {
    private static final String CONSUMER_SECRET = "cs-Hj4Kd-never-shown";
    private static final String TOKEN_SECRET = "ts-Pq7Wm-never-shown";

    private static Map<String, String> netsuite(String... changes) {
        Map<String, String> p = new HashMap<>();
        String prefix = "oauth.connections.netsuite.";
        p.put(prefix + "policy", "oauth1");
        p.put(prefix + "base-url", "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest");
        p.put(prefix + "consumer-key", "ck");
        p.put(prefix + "consumer-secret", CONSUMER_SECRET);
        p.put(prefix + "token-id", "tk");
        p.put(prefix + "token-secret", TOKEN_SECRET);
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                p.remove(prefix + changes[i]);
            } else {
                p.put(prefix + changes[i], changes[i + 1]);
            }
        }
        return p;
    }

    @Test
    void minimalConfigurationThenHmacSha256WithoutRealm() {
        ConnectionDefinition d = ConnectionDefinitions.fromProperties(netsuite()).get("netsuite");

        OAuth1Policy policy = assertInstanceOf(OAuth1Policy.class, d.security());
        assertEquals(Policy.OAUTH1, d.policy());
        assertFalse(d.policy().isOAuth(), "no access token to get, cache or refresh");
        assertEquals(SignatureMethod.HMAC_SHA256, policy.signatureMethod());
        assertEquals(Optional.empty(), policy.realm());
        assertEquals("ck", policy.consumerKey());
        assertEquals(CONSUMER_SECRET, policy.consumerSecret().reveal());
        assertEquals("tk", policy.tokenId());
        assertFalse(d.toString().contains(CONSUMER_SECRET) || d.toString().contains(TOKEN_SECRET), d.toString());
    }

    @Test
    void realmAndSha1AreRead() {
        OAuth1Policy policy = (OAuth1Policy) ConnectionDefinitions.fromProperties(
                netsuite("realm", " 1234567_SB1 ", "signature-method", "hmac-sha1")).get("netsuite").security();

        assertEquals(Optional.of("1234567_SB1"), policy.realm());
        assertEquals(SignatureMethod.HMAC_SHA1, policy.signatureMethod());
    }

    @ParameterizedTest(name = "{0}={1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "<unset>", value = {
            "consumer-key    | <unset>      | missing (set oauth.connections.netsuite.consumer-key)",
            "consumer-secret | <unset>      | missing (set oauth.connections.netsuite.consumer-secret)",
            "token-id        | <unset>      | missing (set oauth.connections.netsuite.token-id)",
            "token-secret    | <unset>      | missing (set oauth.connections.netsuite.token-secret)",
            "signature-method| PLAINTEXT    | unknown or unsupported method 'PLAINTEXT'",
            "signature-method| HMAC-SHA265  | did you mean 'HMAC-SHA256'?",
            "realm           | a\"b         | must be printable ASCII without quotes or backslashes",
    })
    void badKeyThenOneLineNamingIt(String key, String value, String expected) {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(netsuite(key, value)));

        assertEquals(1, e.problems().size(), () -> e.problems().toString());
        String line = e.problems().get(0);
        assertTrue(line.startsWith("connection 'netsuite': key '" + key + "': "), line);
        assertTrue(line.contains(expected), line);
        assertFalse(e.getMessage().contains(CONSUMER_SECRET) || e.getMessage().contains(TOKEN_SECRET), e.getMessage());
    }

    @Test
    void httpBaseUrlIsRefusedWithoutAllowInsecure() {
        ConnectionConfigurationException e = assertThrows(ConnectionConfigurationException.class,
                () -> ConnectionDefinitions.fromProperties(netsuite("base-url", "http://netsuite.example.com")));

        assertTrue(e.problems().get(0).startsWith("connection 'netsuite': key 'base-url': "), e.problems().toString());
    }
}
