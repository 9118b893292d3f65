package com.cameloauth.token.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Test token sets and keys with recognisable values that a scan of a file can look for. */
final class Tokens {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final StoreKey ORDERS = StoreKey.of("orders", "https://idp.example/token", "orders-client",
            List.of("read", "write"), "authorization_code");
    static final StoreKey BILLING = StoreKey.of("billing", "https://idp.example/token", "billing-client",
            List.of("bill"), "client_credentials");

    private Tokens() {
    }

    static TokenSet rotated(int generation) {
        return new TokenSet("access-token-generation-" + generation + "-xyzzy", "Bearer", NOW,
                NOW.plusSeconds(300), List.of("read", "write"),
                Optional.of("refresh-token-generation-" + generation + "-plugh"), Optional.of(NOW.plusSeconds(1800)));
    }

    static TokenSet accessOnly(String value) {
        return TokenSet.withoutRefreshToken(value, "Bearer", NOW, NOW.plusSeconds(300), List.of("bill"));
    }
}
