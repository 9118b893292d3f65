package com.cameloauth.token;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint at {@link TestConnection#TOKEN_PATH} whose answers the test can hold at a gate and release, so
 * that an outcome depends on what the test allowed, not on how threads were scheduled (WireMock can only delay).
 * Request n gets the n-th token of the list (the last one repeats), valid 300 s.
 */
final class GatedTokenEndpoint implements AutoCloseable {
    /** How long a held request waits for {@link #release()} before it is answered anyway, so a broken test ends. */
    private static final long HOLD_BOUND_SECONDS = 20;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gated-token-endpoint");
        t.setDaemon(true);
        return t;
    });
    private final List<String> tokens;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private GatedTokenEndpoint(List<String> tokens) throws IOException {
        this.tokens = List.copyOf(tokens);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(TestConnection.TOKEN_PATH, this::answer);
        server.setExecutor(pool);
        server.start();
    }

    /** Starts an endpoint that answers with these access tokens in turn. */
    static GatedTokenEndpoint answering(String... tokens) {
        try {
            return new GatedTokenEndpoint(List.of(tokens));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** From now on, requests wait at the gate until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets every held request (and every later one) through. */
    void release() {
        gate.countDown();
    }

    /** Token requests received so far, held ones included. */
    int requests() {
        return requests.get();
    }

    /** Token requests waiting at the gate now. */
    int held() {
        return held.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        int n = requests.incrementAndGet();
        CountDownLatch g = gate;
        if (g.getCount() > 0) {
            held.incrementAndGet();
            try {
                g.await(HOLD_BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held.decrementAndGet();
            }
        }
        byte[] body = TokenEndpoint.tokenJson(tokens.get(Math.min(n, tokens.size()) - 1), 300)
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        pool.shutdownNow();
    }
}
