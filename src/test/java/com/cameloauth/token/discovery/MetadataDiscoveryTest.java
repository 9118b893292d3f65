package com.cameloauth.token.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.cameloauth.connection.ConnectionDefinition.HttpTimeouts;
import com.cameloauth.token.TokenEndpointUnavailableException;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

/**
 * Reading an issuer's metadata: both well-known locations (OIDC appends, RFC 8414 inserts), the exact issuer check,
 * https endpoints, no redirect followed, kept once read, read again after a failure but not before the retry interval.
 * The bounded body is covered end to end in {@code token.DiscoveryEngineTest} (the engine's sender).
 */
class MetadataDiscoveryTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final HttpTimeouts TIMEOUTS = new HttpTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(30));
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final TestClock clock = new TestClock();
    /** Plain Nimbus sending: these tests are about what is asked and checked, not about the bounded sender. */
    private final MetadataDiscovery discovery = new MetadataDiscovery((request, deadline) -> ((HTTPRequest) request).send(),
            clock);

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private static String metadata(String issuer) {
        return "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + issuer + "/token\",\"authorization_endpoint\":\""
                + issuer + "/auth\",\"revocation_endpoint\":\"" + issuer + "/revoke\",\"introspection_endpoint\":\""
                + issuer + "/introspect\",\"response_types_supported\":[\"code\"]}";
    }

    private int gets(String path) {
        return server.countRequestsMatching(getRequestedFor(urlPathEqualTo(path)).build()).getCount();
    }

    @Test
    void discoverWhenOpenIdConfigurationThenEndpointsRead() {
        server.stubFor(get("/.well-known/openid-configuration").willReturn(okJson(metadata(base()))));

        ServerMetadata m = discovery.metadata("orders", URI.create(base()), TIMEOUTS, RETRY);

        assertEquals(Optional.of(URI.create(base() + "/token")), m.tokenEndpoint());
        assertEquals(Optional.of(URI.create(base() + "/auth")), m.authorizationEndpoint());
        assertEquals(Optional.of(URI.create(base() + "/revoke")), m.revocationEndpoint());
        assertEquals(Optional.of(URI.create(base() + "/introspect")), m.introspectionEndpoint());
        assertEquals(0, gets("/.well-known/oauth-authorization-server"), "the OIDC location answered: no second look");
    }

    @Test
    void discoverWhenIssuerHasPathThenOidcAppendsAndRfc8414InsertsBeforeThePath() {
        String issuer = base() + "/tenant1";
        server.stubFor(get("/.well-known/oauth-authorization-server/tenant1").willReturn(okJson(metadata(issuer))));

        ServerMetadata m = discovery.metadata("orders", URI.create(issuer), TIMEOUTS, RETRY);

        assertEquals(Optional.of(URI.create(issuer + "/token")), m.tokenEndpoint());
        assertEquals(1, gets("/tenant1/.well-known/openid-configuration"), "OIDC first, appended to the issuer");
        assertEquals(1, gets("/.well-known/oauth-authorization-server/tenant1"), "then RFC 8414, inserted");
    }

    @Test
    void discoverWhenMetadataNamesAnotherIssuerThenRefusedNamingConnectionKeyAndBothValues() {
        server.stubFor(get("/.well-known/openid-configuration").willReturn(okJson(metadata(base() + "/"))));

        DiscoveryException e = assertThrows(DiscoveryException.class,
                () -> discovery.metadata("orders", URI.create(base()), TIMEOUTS, RETRY));

        assertTrue(e.getMessage().contains("OAuth connection 'orders'"), e.getMessage());
        assertTrue(e.getMessage().contains("the key issuer is '" + base() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("names the issuer '" + base() + "/'"), e.getMessage());
        assertFalse(e.isRetryable());
    }

    @Test
    void discoverWhenWellKnownRedirectsThenNotFollowedAndRefused() {
        server.stubFor(get("/.well-known/openid-configuration").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + server.getPort() + "/elsewhere")));
        server.stubFor(get("/elsewhere").willReturn(okJson(metadata(base()))));

        DiscoveryException e = assertThrows(DiscoveryException.class,
                () -> discovery.metadata("orders", URI.create(base()), TIMEOUTS, RETRY));

        assertEquals(302, e.httpStatus());
        assertEquals(0, gets("/elsewhere"));
    }

    @Test
    void discoverWhenReadOnceThenKeptWithoutAnotherRequest() {
        server.stubFor(get("/.well-known/openid-configuration").willReturn(okJson(metadata(base()))));

        ServerMetadata first = discovery.metadata("orders", URI.create(base()), TIMEOUTS, RETRY);
        ServerMetadata second = discovery.metadata("orders", URI.create(base()), TIMEOUTS, RETRY);

        assertSame(first, second);
        assertEquals(1, gets("/.well-known/openid-configuration"));
    }

    @Test
    void discoverWhenFetchFailedThenSameFailureUntilRetryIntervalThenReadAgain() {
        server.stubFor(get("/.well-known/openid-configuration").inScenario("m").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(get("/.well-known/openid-configuration").inScenario("m").whenScenarioStateIs("up")
                .willReturn(okJson(metadata(base()))));
        URI issuer = URI.create(base());

        TokenEndpointUnavailableException first = assertThrows(TokenEndpointUnavailableException.class,
                () -> discovery.metadata("orders", issuer, TIMEOUTS, RETRY));
        TokenEndpointUnavailableException again = assertThrows(TokenEndpointUnavailableException.class,
                () -> discovery.metadata("orders", issuer, TIMEOUTS, RETRY));
        assertSame(first, again, "within the retry interval: the same failure, no request");
        assertEquals(1, gets("/.well-known/openid-configuration"));

        clock.advance(RETRY);
        ServerMetadata m = discovery.metadata("orders", issuer, TIMEOUTS, RETRY);

        assertEquals(Optional.of(URI.create(base() + "/token")), m.tokenEndpoint());
        assertEquals(2, gets("/.well-known/openid-configuration"));
    }

    @Test
    void discoverWhenNeitherLocationHasMetadataThenRefusedNamingBoth() {
        DiscoveryException e = assertThrows(DiscoveryException.class,
                () -> discovery.metadata("orders", URI.create(base() + "/t"), TIMEOUTS, RETRY));

        assertTrue(e.getMessage().contains("/t/.well-known/openid-configuration"), e.getMessage());
        assertTrue(e.getMessage().contains("/.well-known/oauth-authorization-server/t"), e.getMessage());
    }

    @Test
    void discoverWhenHttpsIssuerAnnouncesHttpEndpointThenRefused() {
        String issuer = "https://idp.example.com";
        AtomicInteger asked = new AtomicInteger();
        MetadataDiscovery fake = new MetadataDiscovery((request, deadline) -> {
            asked.incrementAndGet();
            HTTPResponse r = new HTTPResponse(200);
            r.setHeader("Content-Type", "application/json");
            r.setBody(metadata(issuer).replace("\"" + issuer + "/token\"", "\"http://idp.example.com/token\""));
            return r;
        }, clock);

        DiscoveryException e = assertThrows(DiscoveryException.class,
                () -> fake.metadata("orders", URI.create(issuer), TIMEOUTS, RETRY));

        assertTrue(e.getMessage().contains("token_endpoint"), e.getMessage());
        assertTrue(e.getMessage().contains("http://idp.example.com/token"), e.getMessage());
        assertEquals(1, asked.get());
    }

    @Test
    void discoverWhenHttpsIssuerAnnouncesHttpsEndpointsThenAccepted() {
        String issuer = "https://idp.example.com/realms/r1";
        MetadataDiscovery fake = new MetadataDiscovery((request, deadline) -> {
            HTTPResponse r = new HTTPResponse(200);
            r.setHeader("Content-Type", "application/json");
            r.setBody(metadata(issuer));
            return request.getURI().toString().equals(issuer + "/.well-known/openid-configuration") ? r
                    : new HTTPResponse(404);
        }, clock);

        ServerMetadata m = fake.metadata("orders", URI.create(issuer), TIMEOUTS, RETRY);

        assertEquals(Optional.of(URI.create(issuer + "/revoke")), m.revocationEndpoint());
    }

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
