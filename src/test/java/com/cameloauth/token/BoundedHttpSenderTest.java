package com.cameloauth.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URL;

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
    void stop() {
        server.stop();
    }

    private HTTPRequest tokenRequest() throws IOException {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, new URL("http://127.0.0.1:" + server.port() + "/token"));
        request.setHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        request.setBody("grant_type=client_credentials");
        request.setConnectTimeout(2000);
        request.setReadTimeout(500);
        return request;
    }

    @Test
    void unauthorizedKeepsTheErrorBody() throws IOException {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(ERROR)));

        HTTPResponse response = tokenRequest().send(sender);

        assertEquals(401, response.getStatusCode());
        assertEquals(ERROR, response.getBody());
        assertEquals("application/json", response.getHeaderValue("Content-Type"));
        server.verify(1, postRequestedFor(urlPathEqualTo("/token"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded; charset=UTF-8")));
    }

    @Test
    void connectionResetIsNeverResentBehindTheEngine() throws IOException {
        server.stubFor(post("/token").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThrows(IOException.class, () -> tokenRequest().send(sender));

        server.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    }

    @Test
    void redirectIsNotFollowed() throws IOException {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(302).withHeader("Location", "/elsewhere")));

        assertEquals(302, tokenRequest().send(sender).getStatusCode());

        server.verify(0, postRequestedFor(urlPathEqualTo("/elsewhere")));
    }

    @Test
    void bodyOverTheCapIsRefused() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(BoundedHttpSender.MAX_BODY_BYTES + 1))));

        assertThrows(BoundedHttpSender.BodyTooLargeException.class, () -> tokenRequest().send(sender));
    }

    @Test
    void chunkedBodyOverTheCapIsRefused() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(BoundedHttpSender.MAX_BODY_BYTES + 1)).withChunkedDribbleDelay(4, 20)));

        assertThrows(BoundedHttpSender.BodyTooLargeException.class, () -> tokenRequest().send(sender));
    }

    @Test
    void slowAnswerTimesOut() {
        server.stubFor(post("/token").willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(2000)));

        assertThrows(SocketTimeoutException.class, () -> tokenRequest().send(sender));
    }
}
