package com.cameloauth.component;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.cameloauth.token.TokenEvent;
import com.github.tomakehurst.wiremock.WireMockServer;

/** {@code from("oauth:...")} gets the events off the engine's thread: a slow or failing route never holds up a token. */
class OAuthConsumerTest {
    private WireMockServer server;
    private CamelContext camel;
    private ProducerTemplate template;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(post("/token").willReturn(okJson("{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        String base = "http://127.0.0.1:" + server.port();
        Properties p = new Properties();
        p.setProperty("oauth.connections.orders.policy", "client-credentials");
        p.setProperty("oauth.connections.orders.base-url", base + "/api");
        p.setProperty("oauth.connections.orders.token-url", base + "/token");
        p.setProperty("oauth.connections.orders.client-id", "orders-client");
        p.setProperty("oauth.connections.orders.client-secret", "s3cr3t");
        p.setProperty("oauth.connections.orders.allow-insecure", "true");
        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(p);
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        release.countDown();
        camel.stop();
        server.stop();
    }

    @Test
    void routeThatBlocksDoesNotDelayTheCallerGettingItsToken() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("oauth:orders").process(e -> {
                    entered.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    finished.set(true);
                });
            }
        });
        camel.start();

        Object token = template.request("oauth:orders?operation=token", e -> { }).getMessage()
                .getHeader(OAuthConstants.ACCESS_TOKEN);

        assertEquals("tok-1", token);
        assertFalse(finished.get(), "the caller got its token while the route was still blocked");
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the route got the event");
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).untilTrue(finished);
    }

    @Test
    void routeThatFailsBreaksNothingAndEventsArriveInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("oauth:orders").process(e -> {
                    throw new IllegalStateException("this route always fails");
                });
                from("oauth:*").process(e -> seen.add(e.getMessage().getHeader(OAuthConstants.EVENT_TYPE, String.class)));
            }
        });
        camel.start();

        for (int i = 0; i < 3; i++) {
            assertNull(template.request("oauth:orders?operation=refresh", e -> { }).getException());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
        assertEquals(List.of("ACQUIRED", "REFRESHED", "REFRESHED"), seen);
    }

    @Test
    void fullQueueDropsEventsAndNeverBlocksTheEngine() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        List<TokenEvent> processed = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("oauth:orders").routeId("events").process(e -> {
                    entered.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    processed.add(e.getMessage().getBody(TokenEvent.class));
                });
            }
        });
        camel.start();
        OAuthConsumer consumer = (OAuthConsumer) camel.getRoute("events").getConsumer();
        consumer.onEvent(event(0));
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        int more = OAuthConsumer.QUEUE_CAPACITY + 5;
        for (int i = 1; i <= more; i++) {
            consumer.onEvent(event(i));
        }

        assertEquals(5, consumer.droppedEvents());
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> processed.size() == OAuthConsumer.QUEUE_CAPACITY + 1);
        for (int i = 0; i < processed.size(); i++) {
            assertEquals("event " + i, processed.get(i).detail(), "in order, the overflow dropped at the end");
        }
    }

    private static TokenEvent event(int i) {
        return new TokenEvent(TokenEvent.Type.REFRESHED, "orders", Instant.EPOCH, null, "event " + i);
    }
}
