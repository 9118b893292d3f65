package com.cameloauth.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenManager;

/** Factories for the token sources compared by the harness. */
final class TokenSources {
    private TokenSources() {
    }

    /** Properties of one client-credentials connection named {@code name}, for this project. */
    static Map<String, String> connectionProperties(String name, String apiBase, String tokenUrl) {
        Map<String, String> p = new HashMap<>();
        String k = "oauth.connections." + name + ".";
        p.put(k + "policy", "client-credentials");
        p.put(k + "base-url", apiBase);
        p.put(k + "token-url", tokenUrl);
        p.put(k + "client-id", name + "-client");
        p.put(k + "client-secret", "secret-" + name);
        p.put(k + "allow-insecure", "true");
        return p;
    }

    /** This project's token engine alone: {@code TokenManager.authorize()}, the same call the oauth: producer makes. */
    static final class Engine implements TokenSource {
        final OAuthConnections connections;
        final TokenManager manager;

        Engine(String apiBase, String tokenUrl) {
            connections = OAuthConnections.builder(ConnectionDefinitions.fromProperties(
                    connectionProperties("engine", apiBase, tokenUrl))).build();
            manager = connections.tokenManager("engine").orElseThrow();
        }

        @Override
        public String authorizationHeader() {
            return manager.authorize().headerValue();
        }

        @Override
        public void close() {
            connections.close();
        }
    }

    /**
     * The cache people usually write by hand: a volatile token, refreshed under {@code synchronized} with a second check
     * inside (so it is single-flight), no proactive refresh. JDK HttpClient, the JSON read with a regex.
     */
    static final class HandWritten implements TokenSource {
        private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
        private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

        private record Cached(String header, long expiresAtMillis) {
        }

        private final HttpClient http;
        private final URI tokenUri;
        private final String basic;
        private volatile Cached current;

        HandWritten(HttpClient http, String tokenUrl, String clientId, String secret) {
            this.http = http;
            this.tokenUri = URI.create(tokenUrl);
            this.basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        }

        static HttpClient newHttpClient() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        }

        @Override
        public String authorizationHeader() {
            Cached c = current;
            if (c == null || System.currentTimeMillis() >= c.expiresAtMillis) {
                synchronized (this) {
                    c = current;
                    if (c == null || System.currentTimeMillis() >= c.expiresAtMillis) {
                        c = fetch();
                        current = c;
                    }
                }
            }
            return c.header;
        }

        private Cached fetch() {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenUri).timeout(Duration.ofSeconds(30))
                        .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("token endpoint answered " + r.statusCode());
                }
                Matcher token = ACCESS_TOKEN.matcher(r.body());
                Matcher expires = EXPIRES_IN.matcher(r.body());
                if (!token.find() || !expires.find()) {
                    throw new IllegalStateException("unexpected token response");
                }
                long now = System.currentTimeMillis();
                return new Cached("Bearer " + token.group(1), now + Long.parseLong(expires.group(1)) * 1000);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Spring Security's client-credentials manager for services (no Spring Boot, no servlet request):
     * {@code AuthorizedClientServiceOAuth2AuthorizedClientManager} with an in-memory client service and the default
     * token client (RestClient). Clock skew 0 so that short test lifetimes mean the same thing as for the others
     * (its default, 60 s, would treat a 2 s token as always expired).
     */
    static final class Spring {
        final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;

        Spring(String tokenUrl, List<String> registrationIds) {
            List<ClientRegistration> registrations = new ArrayList<>();
            for (String id : registrationIds) {
                registrations.add(ClientRegistration.withRegistrationId(id)
                        .clientId(id + "-client").clientSecret("secret-" + id)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .tokenUri(tokenUrl).build());
            }
            InMemoryClientRegistrationRepository repository = new InMemoryClientRegistrationRepository(registrations);
            manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(repository,
                    new InMemoryOAuth2AuthorizedClientService(repository));
            ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
            provider.setClockSkew(Duration.ZERO);
            manager.setAuthorizedClientProvider(provider);
        }

        TokenSource source(String registrationId) {
            OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(registrationId)
                    .principal("bench-service").build();
            return () -> {
                OAuth2AuthorizedClient client = manager.authorize(request);
                return "Bearer " + client.getAccessToken().getTokenValue();
            };
        }
    }
}
