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
 * The demo authorization server's memory: its registered clients, and the opaque tokens it issued with their expiry
 * and, for a user's token (authorization code), the user. Dev and test builds only.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = { "dev", "test" })
public class DemoTokens {
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String AUTHORIZATION_CODE = "authorization_code";

    /**
     * A registered client, the scopes it may get and its grant. The secrets are demo values, also in
     * application.properties. An authorization-code client has its one registered redirect URI.
     */
    record Client(String id, String secret, Set<String> scopes, String grant, String redirectUri) {
    }

    /** An issued token: who got it, for which scopes, until when; {@code subject} is the user, null for a client's own. */
    record Issued(String clientId, Set<String> scopes, Instant expiresAt, String subject) {
    }

    private final Map<String, Client> clients;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final Duration lifetime;
    private final DemoStats stats;

    @Inject
    DemoTokens(@ConfigProperty(name = "demo.token-lifetime", defaultValue = "20s") Duration lifetime,
            @ConfigProperty(name = "demo.redirect-uri", defaultValue = "http://localhost:8080/oauth/callback") String redirectUri,
            DemoStats stats) {
        this.lifetime = lifetime;
        this.stats = stats;
        this.clients = Map.of(
                "orders-client", new Client("orders-client", "demo-orders-secret", Set.of("orders:read"),
                        CLIENT_CREDENTIALS, null),
                "shipping-client", new Client("shipping-client", "demo-shipping-secret",
                        Set.of("shipments:read", "shipments:write"), CLIENT_CREDENTIALS, null),
                // the my-orders connection: acts for a user who consented on /demo/oauth/authorize
                "my-orders-client", new Client("my-orders-client", "demo-my-orders-secret", Set.of("orders:read"),
                        AUTHORIZATION_CODE, redirectUri));
    }

    Optional<Client> authenticate(String clientId, String secret) {
        Client client = clientId == null ? null : clients.get(clientId);
        return client != null && client.secret().equals(secret) ? Optional.of(client) : Optional.empty();
    }

    /** A registered client by id, for the authorization page (which sees no secret). */
    Optional<Client> client(String clientId) {
        return Optional.ofNullable(clientId == null ? null : clients.get(clientId));
    }

    /** A fresh random opaque token for the client itself; expired ones are forgotten on the way. */
    String issue(Client client, Set<String> scopes) {
        return issue(client, scopes, null);
    }

    /** A fresh random opaque token for {@code subject} (a user; null for the client itself). */
    String issue(Client client, Set<String> scopes, String subject) {
        Instant now = clock.instant();
        issued.values().removeIf(t -> !t.expiresAt().isAfter(now));
        String token = randomValue();
        issued.put(token, new Issued(client.id(), Set.copyOf(scopes), now.plus(lifetime), subject));
        stats.tokenIssued();
        return token;
    }

    /** 256 random bits, base64url: tokens, codes, refresh tokens. */
    String randomValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
