package com.cameloauth.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint on a free loopback port that counts the token requests of every instance (the user-visible cost a
 * cluster must keep at one per expiry window) and answers each with a new token, {@code at-<n>}. The first request can
 * be held until {@link #releaseHeld()}: a lease holder that is stuck in its request.
 */
public final class CountingTokenServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "counting-token-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final long expiresIn;
    private final boolean holdFirst;
    private final long delayMillis;

    private CountingTokenServer(long expiresIn, boolean holdFirst, long delayMillis) {
        this.expiresIn = expiresIn;
        this.holdFirst = holdFirst;
        this.delayMillis = delayMillis;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    /** Answers every request at once with a token of {@code expiresIn} seconds. */
    public static CountingTokenServer start(long expiresIn) {
        return new CountingTokenServer(expiresIn, false, 0);
    }

    /** Answers every request after {@code delayMillis} (a token round trip, for the benchmark). */
    public static CountingTokenServer startWithDelay(long expiresIn, long delayMillis) {
        return new CountingTokenServer(expiresIn, false, delayMillis);
    }

    /** Holds the first request until {@link #releaseHeld()}; answers the others at once. */
    public static CountingTokenServer startHoldingFirst(long expiresIn) {
        return new CountingTokenServer(expiresIn, true, 0);
    }

    public String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** Token requests received so far, by every instance. */
    public int requests() {
        return requests.get();
    }

    public void releaseHeld() {
        release.countDown();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            int n = requests.incrementAndGet();
            try {
                if (holdFirst && n == 1) {
                    release.await(60, TimeUnit.SECONDS);
                } else if (delayMillis > 0) {
                    Thread.sleep(delayMillis); // the server's own latency, not a test waiting for something
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            byte[] json = ("{\"access_token\":\"at-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                    + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        } catch (IOException e) {
            // the instance went away (killed): nothing to answer
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
