package com.cameloauth.testsupport.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A redirect URI on a free loopback port ({@code http://127.0.0.1:<port>/oauth/callback}) that records each callback
 * the browser brings, query included, and answers with a short page. Close it.
 */
public final class CallbackReceiver implements AutoCloseable {
    public static final String PATH = "/oauth/callback";

    private final HttpServer server;
    private final LinkedBlockingQueue<URI> callbacks = new LinkedBlockingQueue<>();

    private CallbackReceiver(HttpServer server) {
        this.server = server;
    }

    public static CallbackReceiver start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CallbackReceiver receiver = new CallbackReceiver(server);
        server.createContext(PATH, exchange -> {
            receiver.callbacks.add(URI.create(receiver.redirectUri() + (exchange.getRequestURI().getRawQuery() == null
                    ? "" : "?" + exchange.getRequestURI().getRawQuery())));
            byte[] page = "<!doctype html><title>Consent received</title><p>You may close this window.</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
        return receiver;
    }

    /** The redirect URI to register in the authorization request. */
    public URI redirectUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** The next callback received, waiting up to {@code timeout} for it. */
    public URI awaitCallback(Duration timeout) {
        try {
            URI callback = callbacks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (callback == null) {
                throw new AssertionError("no callback reached " + redirectUri() + " within " + timeout);
            }
            return callback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the callback", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
