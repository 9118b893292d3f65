package com.cameloauth.noleak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The no-leak scanner can fail: a planted token, a piece of one, a JWT signature or a secret is found and named. */
class LeakScannerTest {
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCIgOiAiSldUIn0"
            + ".eyJleHAiOjE3NjQxMjM0NTYsImp0aSI6ImFiYzEyMy1kZWY0NTYiLCJzdWIiOiJhbGljZSJ9"
            + ".Zm9vYmFyYmF6cXV4LXNpZ25hdHVyZS1wYXJ0LW9mLXRoZS10b2tlbg";

    @Test
    void findsAPlantedTokenAndNamesItByLabelOnly() {
        LeakScanner scanner = new LeakScanner().unique("issued access_token", JWT)
                .text("log", "INFO acquired token fp=0a1b2c3d\nDEBUG Authorization: Bearer " + JWT + "\n");

        List<String> findings = scanner.findings();

        assertFalse(findings.isEmpty());
        assertTrue(findings.get(0).startsWith("log @"), findings::toString);
        assertTrue(findings.stream().allMatch(f -> f.contains("issued access_token")), findings::toString);
        assertTrue(findings.stream().noneMatch(f -> f.contains(JWT.substring(JWT.lastIndexOf('.') + 1))), "no secret in a finding");
    }

    @Test
    void findsTheSignatureAloneAndAPieceOfTwelveCharacters() {
        String signature = JWT.substring(JWT.lastIndexOf('.') + 1);
        String payload = JWT.split("\\.")[1];
        LeakScanner scanner = new LeakScanner().unique("refresh_token", JWT)
                .text("signature", "sig=" + signature)
                .text("piece", "\"detail\":\"token ..." + payload.substring(20, 32) + "... rejected\"");

        List<String> findings = scanner.findings();

        assertTrue(findings.stream().anyMatch(f -> f.startsWith("signature @")), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("piece @")), findings::toString);
    }

    @Test
    void findsAConfiguredSecretWholeButNotTheClientIdItStartsWith() {
        LeakScanner scanner = new LeakScanner().secret("client secret", "orders-service-secret")
                .text("events", "{\"detail\":\"client orders-service authenticated\"}")
                .text("metrics", "client_secret=orders-service-secret");

        assertEquals(List.of("metrics @14: client secret"), scanner.findings());
    }

    @Test
    void anElevenCharacterPieceIsNotAFinding() {
        LeakScanner scanner = new LeakScanner().unique("random secret", "noleak-0123456789abcdef")
                .text("page", "x" + "0123456789a" + "x");

        assertEquals(List.of(), scanner.findings());
    }

    @Test
    void cleanTextsHaveNoFinding() {
        LeakScanner scanner = new LeakScanner().unique("access token", JWT).secret("password", "alice-password")
                .text("audit", "{\"event\":\"ACQUIRED\",\"fingerprint\":\"0a1b2c3d4e5f6789\",\"connection\":\"noleak-post\"}");

        assertEquals(List.of(), scanner.findings());
    }
}
