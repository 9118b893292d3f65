package com.cameloauth.quarkus.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The demo authorization server's memory: its registered clients, and the opaque tokens it issued with their expiry.
 * Dev and test builds only.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = { "dev", "test" })
public class DemoTokens {
    /** A registered client and the scopes it may get. The secrets are demo values, also in application.properties. */
    record Client(String id, String secret, Set<String> scopes) {
    }

    /** An issued token: who got it, for which scopes, until when. */
    record Issued(String clientId, Set<String> scopes, Instant expiresAt) {
    }

    static final Map<String, Client> CLIENTS = Map.of(
            "orders-client", new Client("orders-client", "demo-orders-secret", Set.of("orders:read")),
            "shipping-client", new Client("shipping-client", "demo-shipping-secret",
                    Set.of("shipments:read", "shipments:write")));

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final Duration lifetime;
    private final DemoStats stats;

    @Inject
    DemoTokens(@ConfigProperty(name = "demo.token-lifetime", defaultValue = "20s") Duration lifetime, DemoStats stats) {
        this.lifetime = lifetime;
        this.stats = stats;
    }

    Optional<Client> authenticate(String clientId, String secret) {
        Client client = clientId == null ? null : CLIENTS.get(clientId);
        return client != null && client.secret().equals(secret) ? Optional.of(client) : Optional.empty();
    }

    /** A fresh random opaque token; expired ones are forgotten on the way. */
    String issue(Client client, Set<String> scopes) {
        Instant now = clock.instant();
        issued.values().removeIf(t -> !t.expiresAt().isAfter(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(token, new Issued(client.id(), Set.copyOf(scopes), now.plus(lifetime)));
        stats.tokenIssued();
        return token;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** The grant behind a token, if the token is known and not expired. */
    Optional<Issued> validate(String token) {
        Issued t = token == null ? null : issued.get(token);
        return t != null && t.expiresAt().isAfter(clock.instant()) ? Optional.of(t) : Optional.empty();
    }

    /** The scopes a client asked for, or all of its scopes when it asked for none (RFC 6749 3.3). */
    static Optional<Set<String>> grantable(Client client, String scope) {
        if (scope == null || scope.isBlank()) {
            return Optional.of(client.scopes());
        }
        Set<String> asked = Set.copyOf(List.of(scope.trim().split("\\s+")));
        return client.scopes().containsAll(asked) ? Optional.of(asked) : Optional.empty();
    }
}
