package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

class OAuthComponentTest {
    private static final String SECRET = "s3cr3t-value-never-logged";

    private WireMockServer server;
    private CamelContext camel;
    private ProducerTemplate template;
    private final Properties properties = new Properties();

    @BeforeEach
    void start() throws Exception {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        camel = new DefaultCamelContext();
        Properties p = properties;
        String base = "http://127.0.0.1:" + server.port();
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "{{orders.secret}}");
        p.setProperty("oauth.connections.orders.scopes", "orders:read orders:write");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        p.setProperty("oauth.connections.legacy.policy", "api-key");
        p.setProperty("oauth.connections.legacy.base-url", base + "/legacy");
        p.setProperty("oauth.connections.legacy.api-key", "key-123");
        p.setProperty("oauth.connections.legacy.allow-insecure", "true");
        p.setProperty("orders.secret", SECRET);
        camel.getPropertiesComponent().setInitialProperties(p);
        template = camel.createProducerTemplate();
        stubTokens("tok-");
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop();
    }

    private void stubTokens(String prefix) {
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"" + prefix + "1\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    private void startCamel() {
        camel.start();
    }

    @Test
    void callSendsBearerTokenAndCachesIt() {
        server.stubFor(get("/api/v1/orders").willReturn(okJson("[{\"id\":1}]")));
        startCamel();
        String body = template.requestBodyAndHeader("oauth:orders/v1/orders", null, Exchange.HTTP_METHOD, "GET", String.class);
        template.requestBodyAndHeader("oauth:orders/v1/orders", null, Exchange.HTTP_METHOD, "GET", String.class);
        assertEquals("[{\"id\":1}]", body);
        server.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/orders")).withHeader("Authorization", equalTo("Bearer tok-1")));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token")).withRequestBody(equalTo("grant_type=client_credentials&scope=orders%3Aread+orders%3Awrite")));
    }

    @Test
    void credentialHeaderDoesNotStayOnAnyMessageOfTheExchange() {
        server.stubFor(get("/api/v1/orders").willReturn(okJson("[]")));
        server.stubFor(get("/api/boom").willReturn(aResponse().withStatus(500).withBody("boom")));
        startCamel();
        Exchange ok = template.request("oauth:orders/v1/orders", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertNull(ok.getException());
        assertNoCredential(ok);

        Exchange failed = template.request("oauth:orders/boom", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertInstanceOf(HttpOperationFailedException.class, failed.getException());
        assertNoCredential(failed);

        Exchange answered = template.request("oauth:orders/boom?throwExceptionOnFailure=false",
                e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertNull(answered.getException());
        assertEquals(500, answered.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertNoCredential(answered);
        server.verify(3, getRequestedFor(urlPathMatching("/api/.*")).withHeader("Authorization", equalTo("Bearer tok-1")));
    }

    private static void assertNoCredential(Exchange exchange) {
        assertNull(exchange.getIn().getHeader("Authorization"), "credential left on getIn()");
        assertNull(exchange.getMessage().getHeader("Authorization"), "credential left on getMessage()");
    }

    @Test
    void camelHttpUriHeaderCannotRedirectTheCredential() {
        server.stubFor(get("/api/v1/orders").willReturn(okJson("[]")));
        server.stubFor(get("/evil").willReturn(okJson("{}")));
        startCamel();
        template.send("oauth:orders/v1/orders", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_URI, "http://127.0.0.1:" + server.port() + "/evil");
        });
        server.verify(0, getRequestedFor(urlPathEqualTo("/evil")));
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/orders")));
    }

    @Test
    void camelHttpPathAndQueryHeadersWorkAsInCamelHttp() {
        server.stubFor(get(urlPathEqualTo("/api/v1/orders/42")).willReturn(okJson("{\"id\":42}")));
        startCamel();
        String body = template.send("oauth:orders/v1/orders", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "42");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "expand=lines");
        }).getMessage().getBody(String.class);
        assertEquals("{\"id\":42}", body);
        server.verify(getRequestedFor(urlPathEqualTo("/api/v1/orders/42")).withQueryParam("expand", equalTo("lines")));
    }

    @Test
    void unauthorizedThenReplaysOnceWithANewToken() {
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"old\",\"token_type\":\"Bearer\",\"expires_in\":300}")).willSetStateTo("second"));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"new\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        server.stubFor(get("/api/x").withHeader("Authorization", equalTo("Bearer old")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
        server.stubFor(get("/api/x").withHeader("Authorization", equalTo("Bearer new")).willReturn(okJson("{\"ok\":true}")));
        startCamel();
        Exchange out = template.request("oauth:orders/x", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertNull(out.getException());
        assertEquals("{\"ok\":true}", out.getMessage().getBody(String.class));
        assertEquals(Boolean.TRUE, out.getMessage().getHeader(OAuthConstants.REPLAYED));
        server.verify(2, postRequestedFor(urlPathEqualTo("/token")));
        server.verify(2, getRequestedFor(urlPathEqualTo("/api/x")));
    }

    @Test
    void secondUnauthorizedFailsTheExchangeWithoutALoop() {
        server.stubFor(get("/api/x").willReturn(aResponse().withStatus(401)));
        startCamel();
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET"));
        HttpOperationFailedException http = assertInstanceOf(HttpOperationFailedException.class, e.getCause());
        assertEquals(401, http.getStatusCode());
        server.verify(2, getRequestedFor(urlPathEqualTo("/api/x")));
        server.verify(2, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void forbiddenNeverRefreshes() {
        server.stubFor(get("/api/x").willReturn(aResponse().withStatus(403)
                .withHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"")));
        startCamel();
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET"));
        assertEquals(403, assertInstanceOf(HttpOperationFailedException.class, e.getCause()).getStatusCode());
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/x")));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void unauthorizedWithAnotherErrorCodeIsNotReplayed() {
        server.stubFor(get("/api/x").willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_request\"")));
        startCamel();
        assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeader("oauth:orders/x", null, Exchange.HTTP_METHOD, "GET"));
        server.verify(1, getRequestedFor(urlPathEqualTo("/api/x")));
    }

    private void stubOldThenNewToken() {
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"old\",\"token_type\":\"Bearer\",\"expires_in\":300}")).willSetStateTo("second"));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"new\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    /** The Authorization header the API received, request by request. */
    private List<String> authorizationsReceivedAt(String path) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(urlPathEqualTo(path))).stream()
                .map(r -> r.getHeader("Authorization")).toList();
    }

    @Test
    void throwExceptionOnFailureFalseReplaysWithTheNewToken() {
        stubOldThenNewToken();
        server.stubFor(get("/api/x").withHeader("Authorization", equalTo("Bearer old")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
        server.stubFor(get("/api/x").withHeader("Authorization", equalTo("Bearer new")).willReturn(okJson("{\"ok\":true}")));
        startCamel();
        Exchange out = template.request("oauth:orders/x?throwExceptionOnFailure=false",
                e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertNull(out.getException());
        assertEquals(List.of("Bearer old", "Bearer new"), authorizationsReceivedAt("/api/x"));
        assertEquals(200, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals("{\"ok\":true}", out.getMessage().getBody(String.class));
        assertEquals(Boolean.TRUE, out.getMessage().getHeader(OAuthConstants.REPLAYED));
        assertNull(out.getMessage().getHeader("WWW-Authenticate"), "no header of the first answer is left");
        assertNoCredential(out);
    }

    @Test
    void throwExceptionOnFailureFalseReturnsTheSecond401WithoutALoop() {
        stubOldThenNewToken();
        server.stubFor(get("/api/x").willReturn(aResponse().withStatus(401)));
        startCamel();
        Exchange out = template.request("oauth:orders/x?throwExceptionOnFailure=false",
                e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        assertNull(out.getException());
        assertEquals(401, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
        assertEquals(Boolean.TRUE, out.getMessage().getHeader(OAuthConstants.REPLAYED));
        assertEquals(List.of("Bearer old", "Bearer new"), authorizationsReceivedAt("/api/x"));
        assertNoCredential(out);
    }

    @Test
    void wwwAuthenticateIsReadWhateverItsCase() throws Exception {
        // WireMock (Jetty) writes known header names in their usual case; the JDK server sends "Www-authenticate".
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer api = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/api/x", exchange -> {
            calls.incrementAndGet();
            exchange.getResponseHeaders().add("www-authenticate", "Bearer error=\"invalid_request\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        api.start();
        try {
            properties.setProperty("oauth.connections.proxied.policy", "client-credentials");
            properties.setProperty("oauth.connections.proxied.base-url", "http://127.0.0.1:" + api.getAddress().getPort() + "/api");
            properties.setProperty("oauth.connections.proxied.token-url", "http://127.0.0.1:" + server.port() + "/token");
            properties.setProperty("oauth.connections.proxied.client-id", "c");
            properties.setProperty("oauth.connections.proxied.client-secret", "s");
            properties.setProperty("oauth.connections.proxied.allow-insecure", "true");
            startCamel();
            Exchange thrown = template.request("oauth:proxied/x", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
            assertEquals(401, assertInstanceOf(HttpOperationFailedException.class, thrown.getException()).getStatusCode());
            assertEquals(1, calls.get(), "invalid_request is not a stale token: no replay");
            Exchange answered = template.request("oauth:proxied/x?throwExceptionOnFailure=false",
                    e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
            assertEquals(401, answered.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
            assertEquals(2, calls.get(), "invalid_request is not a stale token: no replay");
            server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
        } finally {
            api.stop(0);
        }
    }

    @Test
    void nonSuccessAnswerNamesTheConnectionAndKeepsWhatCamelHttpGives() {
        server.stubFor(get(urlPathEqualTo("/api/x")).willReturn(aResponse().withStatus(500).withStatusMessage("Server Error")
                .withHeader("X-Trace", "t-1").withBody("boom")));
        startCamel();
        Exchange out = template.request("oauth:orders/x", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "page=2");
        });
        HttpOperationFailedException failed = assertInstanceOf(HttpOperationFailedException.class, out.getException());
        String url = "http://127.0.0.1:" + server.port() + "/api/x";
        assertEquals("OAuth connection 'orders': HTTP operation failed invoking " + url + " with statusCode: 500",
                failed.getMessage());
        assertEquals(url + "?page=2", failed.getUri());
        assertEquals(500, failed.getStatusCode());
        assertEquals("Server Error", failed.getStatusText());
        assertEquals("boom", failed.getResponseBody());
        assertEquals("t-1", failed.getResponseHeaders().get("X-Trace"));
        assertEquals(500, out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
    }

    @Test
    void cachedStreamBodyIsReplayedWithTheSameBody() throws Exception {
        stubOldThenNewToken();
        server.stubFor(post("/api/x").withHeader("Authorization", equalTo("Bearer old")).willReturn(aResponse().withStatus(401)));
        server.stubFor(post("/api/x").withHeader("Authorization", equalTo("Bearer new")).willReturn(okJson("{}")));
        camel.setStreamCaching(true);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:upload").to("oauth:orders/x");
            }
        });
        startCamel();
        Exchange out = template.request("direct:upload",
                e -> e.getMessage().setBody(new ByteArrayInputStream("payload".getBytes(StandardCharsets.UTF_8))));
        assertNull(out.getException());
        assertEquals(List.of("Bearer old", "Bearer new"), authorizationsReceivedAt("/api/x"));
        List<String> bodies = server.findAll(postRequestedFor(urlPathEqualTo("/api/x"))).stream()
                .map(r -> r.getBodyAsString()).toList();
        assertEquals(List.of("payload", "payload"), bodies);
    }

    @Test
    void rawStreamBodyIsNotReplayed() {
        server.stubFor(post("/api/x").withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(401)));
        startCamel();
        // A raw InputStream cannot be sent twice: a clear error, after the refresh.
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.requestBody("oauth:orders/x",
                new ByteArrayInputStream("payload".getBytes(StandardCharsets.UTF_8))));
        assertInstanceOf(NonReplayableBodyException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("OAuth connection 'orders': "), e.getCause().getMessage());
        server.verify(1, postRequestedFor(urlPathEqualTo("/api/x")));
    }

    @Test
    void tokenOperationPutsTheTokenInHeaders() {
        startCamel();
        Exchange out = template.request("oauth:orders?operation=token", e -> { });
        assertEquals("tok-1", out.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN));
        assertEquals("Bearer tok-1", out.getMessage().getHeader(OAuthConstants.AUTHORIZATION));
        assertTrue(out.getMessage().getHeader(OAuthConstants.TOKEN_FINGERPRINT, String.class).matches("[0-9a-f]{16}"));
    }

    @Test
    void apiKeyPolicySendsTheKeyAndNeverAsksForAToken() {
        server.stubFor(get("/legacy/ping").willReturn(okJson("{}")));
        startCamel();
        template.requestBodyAndHeader("oauth:legacy/ping", null, Exchange.HTTP_METHOD, "GET");
        server.verify(getRequestedFor(urlPathEqualTo("/legacy/ping")).withHeader("X-API-Key", equalTo("key-123")));
        server.verify(0, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void unknownConnectionListsTheKnownOnes() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("oauth:ordrs/v1");
            }
        });
        Exception e = assertThrows(Exception.class, this::startCamel);
        String message = rootMessage(e);
        assertTrue(message.contains("Unknown OAuth connection 'ordrs'"), message);
        // the known ones, sorted (the test profile's demo connections of application.properties may be among them)
        assertTrue(message.matches("(?s).*Known connections: (.*, )?legacy, (.*, )?orders(,.*|$)"), message);
    }

    @Test
    void unknownConnectionIsSaidOnce() throws Exception {
        startCamel();
        Exception sent = assertThrows(Exception.class, () -> template.sendBody("oauth:nope/x", "x"));
        assertEquals(1, occurrences(sent.getMessage(), "Unknown OAuth connection 'nope'"), sent.getMessage());
        assertEquals(1, occurrences(sent.getMessage(), "Failed to resolve endpoint"), sent.getMessage());
    }

    @Test
    void unknownConnectionInARouteIsSaidOnce() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("oauth:nope/x");
            }
        });
        Exception e = assertThrows(Exception.class, this::startCamel);
        assertEquals(1, occurrences(e.getMessage(), "Unknown OAuth connection 'nope'"), e.getMessage());
        assertEquals(1, occurrences(e.getMessage(), "Failed to resolve endpoint"), e.getMessage());
    }

    @Test
    void unknownOperationListsTheValidOnes() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("oauth:orders?operation=bogus");
            }
        });
        Exception e = assertThrows(Exception.class, this::startCamel);
        assertTrue(e.getMessage().contains("operation 'bogus'"), e.getMessage());
        assertTrue(e.getMessage().contains("call, token, refresh, test"), e.getMessage());
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            count++;
        }
        return count;
    }

    @Test
    void invalidConfigurationFailsStartWithEveryProblemAndNoSecret() throws Exception {
        Properties p = properties;
        p.setProperty("oauth.connections.broken.policy", "client-credentials");
        p.setProperty("oauth.connections.broken.base-url", "http://example.org");
        p.setProperty("oauth.connections.broken.client-secret", SECRET);
        p.setProperty("oauth.connections.broken.read-timeout", "-5s");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("oauth:orders/v1");
            }
        });
        Exception e = assertThrows(Exception.class, this::startCamel);
        String message = rootMessage(e);
        assertTrue(message.contains("connection 'broken': key 'token-url': missing"), message);
        assertTrue(message.contains("connection 'broken': key 'client-id': missing"), message);
        assertTrue(message.contains("connection 'broken': key 'base-url'"), message);
        assertTrue(message.contains("connection 'broken': key 'read-timeout'"), message);
        assertFalse(message.contains(SECRET), message);
    }

    @Test
    void yamlRouteCallsThroughTheConnection() throws Exception {
        server.stubFor(get("/api/v1/orders").willReturn(okJson("[]")));
        camel.getRegistry().bind("unused", new Object());
        org.apache.camel.support.PluginHelper.getRoutesLoader(camel).loadRoutes(
                org.apache.camel.support.ResourceHelper.fromString("orders.yaml", """
                        - route:
                            from:
                              uri: direct:orders
                              steps:
                                - setHeader:
                                    name: CamelHttpMethod
                                    constant: GET
                                - to: oauth:orders/v1/orders
                        """));
        startCamel();
        template.requestBody("direct:orders", (Object) null);
        server.verify(getRequestedFor(urlPathEqualTo("/api/v1/orders")).withHeader("Authorization", equalTo("Bearer tok-1")));
    }

    @Test
    void unauthorizedStormThroughTheComponentCausesOneTokenRequest() throws Exception {
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"old\",\"token_type\":\"Bearer\",\"expires_in\":300}")).willSetStateTo("second"));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"new\",\"token_type\":\"Bearer\",\"expires_in\":300}").withFixedDelay(200)));
        server.stubFor(get("/api/x").withHeader("Authorization", equalTo("Bearer old")).willReturn(aResponse().withStatus(401).withFixedDelay(50)));
        server.stubFor(get("/api/x").withHeader("Authorization", equalTo("Bearer new")).willReturn(okJson("{}")));
        startCamel();
        template.requestBody("oauth:orders?operation=token", (Object) null); // warm: "old" is cached
        int threads = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Exchange>> results = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return template.request("oauth:orders/x", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
                }));
            }
            go.countDown();
            for (Future<Exchange> f : results) {
                assertNull(f.get(30, TimeUnit.SECONDS).getException());
            }
        } finally {
            pool.shutdownNow();
        }
        int tokenRequests = server.countRequestsMatching(postRequestedFor(urlPathEqualTo("/token")).build()).getCount();
        System.out.println("401 storm through oauth: (64 threads): token requests = " + tokenRequests + " (1 warm-up + refreshes)");
        assertEquals(2, tokenRequests);
    }

    @Test
    void consumerReceivesTheConnectionsLifecycleEventsWithoutTheToken() throws Exception {
        List<Exchange> orderEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Exchange> allEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("oauth:orders").process(orderEvents::add);
                from("oauth:*").process(allEvents::add);
            }
        });
        startCamel();
        template.requestBody("oauth:orders?operation=token", (Object) null);
        // delivered on the consumers' own threads
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> orderEvents.size() == 1 && allEvents.size() == 1);
        Exchange event = orderEvents.get(0);
        assertEquals("ACQUIRED", event.getMessage().getHeader(OAuthConstants.EVENT_TYPE));
        assertEquals("orders", event.getMessage().getHeader(OAuthConstants.CONNECTION));
        com.cameloauth.token.TokenEvent body = event.getMessage().getBody(com.cameloauth.token.TokenEvent.class);
        assertEquals(com.cameloauth.token.Token.fingerprint("tok-1"), body.fingerprint());
        assertFalse(body.toString().contains("tok-1"));
        assertEquals(1, allEvents.size());
    }

    @Test
    void producerOnEveryConnectionIsRefused() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("oauth:*");
            }
        });
        Exception e = assertThrows(Exception.class, this::startCamel);
        assertTrue(rootMessage(e).contains("consumers only"), rootMessage(e));
    }

    @Test
    void refreshOperationReplacesTheCachedToken() {
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"access_token\":\"first\",\"token_type\":\"Bearer\",\"expires_in\":300}")).willSetStateTo("second"));
        server.stubFor(post("/token").inScenario("t").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"second\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        startCamel();
        assertEquals("first", template.request("oauth:orders?operation=token", e -> { }).getMessage()
                .getHeader(OAuthConstants.ACCESS_TOKEN));
        Exchange refreshed = template.request("oauth:orders?operation=refresh", e -> { });
        assertEquals(com.cameloauth.token.Token.fingerprint("second"), refreshed.getMessage().getHeader(OAuthConstants.TOKEN_FINGERPRINT));
        assertNull(refreshed.getMessage().getHeader(OAuthConstants.ACCESS_TOKEN), "refresh does not hand out the token");
        assertEquals("second", template.request("oauth:orders?operation=token", e -> { }).getMessage()
                .getHeader(OAuthConstants.ACCESS_TOKEN));
        server.verify(2, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void testOperationReportsSuccessAndFailureWithoutTheTokenOrSecret() {
        startCamel();
        java.util.Map<?, ?> ok = template.requestBody("oauth:orders?operation=test", (Object) null, java.util.Map.class);
        assertEquals("OK", ok.get("result"));
        assertEquals("ACTIVE", ok.get("state"));
        assertEquals(com.cameloauth.token.Token.fingerprint("tok-1"), ok.get("fingerprint"));
        assertFalse(ok.toString().contains("tok-1"));

        server.stubFor(post("/token").willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\"}")));
        java.util.Map<?, ?> failed = template.requestBody("oauth:orders?operation=test", (Object) null, java.util.Map.class);
        assertEquals("FAILED", failed.get("result"));
        assertEquals("invalid_client", failed.get("errorCode"));
        assertEquals(401, failed.get("httpStatus"));
        assertFalse(failed.toString().contains(SECRET));
    }

    @Test
    void methodGivenAsTextIsSentAndLeftAsTextOnTheMessage() {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete("/api/v1/orders/7").willReturn(aResponse().withStatus(204)));
        startCamel();
        Exchange out = template.request("oauth:orders/v1/orders/7", e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "delete"));
        assertNull(out.getException());
        server.verify(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlPathEqualTo("/api/v1/orders/7")));
        assertEquals("delete", out.getMessage().getHeader(Exchange.HTTP_METHOD));
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
