package com.cameloauth.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

class BoundedHttpSenderTest {
    private static final String ERROR = "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid client credentials\"}";

    private WireMockServer server;
    private final BoundedHttpSender sender = new BoundedHttpSender();

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop();
        sender.close();
    }

    private HTTPResponse send(HTTPRequest request) throws IOException {
        return request.send(r -> sender.send(r, Duration.ofSeconds(10)));
    }

    private HTTPRequest tokenRequest() throws IOException {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, new URL("http://127.0.0.1:" + server.port() + "/token"));
        request.setHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        request.setBody("grant_type=client_credentials");
        request.setConnectTimeout(2000);
        request.setReadTimeout(10_000); // a busy machine may take a while to serve a 1 MiB body
        return request;
    }

    @Test
    void unauthorizedKeepsTheErrorBody() throws IOException {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(ERROR)));

        HTTPResponse response = send(tokenRequest());

        assertEquals(401, response.getStatusCode());
        assertEquals(ERROR, response.getBody());
        assertEquals("application/json", response.getHeaderValue("Content-Type"));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded; charset=UTF-8")));
    }

    @Test
    void connectionResetIsNeverResentBehindTheEngine() throws IOException {
        server.stubFor(post("/token").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThrows(IOException.class, () -> send(tokenRequest()));

        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void redirectIsNotFollowed() throws IOException {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(302).withHeader("Location", "/elsewhere")));

        assertEquals(302, send(tokenRequest()).getStatusCode());

        server.verify(0, postRequestedFor(urlPathEqualTo("/elsewhere")));
    }

    @Test
    void bodyOverTheCapIsRefused() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(BoundedHttpSender.MAX_BODY_BYTES + 1))));

        assertThrows(BoundedHttpSender.BodyTooLargeException.class, () -> send(tokenRequest()));
    }

    @Test
    void chunkedBodyOverTheCapIsRefused() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(BoundedHttpSender.MAX_BODY_BYTES + 1)).withChunkedDribbleDelay(4, 20)));

        assertThrows(BoundedHttpSender.BodyTooLargeException.class, () -> send(tokenRequest()));
    }

    @Test
    void slowAnswerTimesOut() throws IOException {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(2000)));

        HTTPRequest request = tokenRequest();
        request.setReadTimeout(500);

        assertThrows(SocketTimeoutException.class, () -> send(request));
    }

    @Test
    void bodyThatNeverEndsThenAbortedAtTheCapAndTheConnectionClosed() throws Exception {
        long all = 256L * 1024 * 1024;
        try (RawHttpServer raw = new RawHttpServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                RawHttpServer.chunkedFlood(all))) {
            HTTPRequest request = rawRequest(raw);

            assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(BoundedHttpSender.BodyTooLargeException.class, () -> send(request)), "hang guard");

            assertTrue(raw.clientClosed().await(10, TimeUnit.SECONDS), "the server saw the connection closed");
            assertTrue(raw.bodyBytesWritten() < all / 16, "server wrote " + raw.bodyBytesWritten() + " of " + all);
        }
    }

    @Test
    void bodyThatDripsThenAbortedAtTheDeadline() throws Exception {
        try (RawHttpServer raw = new RawHttpServer("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n",
                RawHttpServer.drip(100_000, 200))) {
            HTTPRequest request = rawRequest(raw);
            request.setReadTimeout(5000);

            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                    BoundedHttpSender.DeadlineExceededException.class,
                    () -> request.send(r -> sender.send(r, Duration.ofMillis(800)))), "hang guard");

            assertTrue(raw.clientClosed().await(10, TimeUnit.SECONDS), "the server saw the connection closed");
            assertEquals(1, raw.requests());
        }
    }

    @Test
    void answerWithinTheDeadlineThenNoAbortLater() throws Exception {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200).withBody("{}")));

        HTTPResponse first = tokenRequest().send(r -> sender.send(r, Duration.ofMillis(300)));
        HTTPResponse second = tokenRequest().send(r -> sender.send(r, Duration.ofSeconds(10)));

        assertEquals("{}", first.getBody());
        assertEquals("{}", second.getBody(), "the first deadline, had it fired late, would not touch the second");
        server.verify(2, postRequestedFor(urlPathEqualTo("/token")));
    }

    private static HTTPRequest rawRequest(RawHttpServer raw) throws IOException {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, new URL("http://127.0.0.1:" + raw.port() + "/token"));
        request.setHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        request.setBody("grant_type=client_credentials");
        request.setConnectTimeout(2000);
        request.setReadTimeout(2000);
        return request;
    }
}
