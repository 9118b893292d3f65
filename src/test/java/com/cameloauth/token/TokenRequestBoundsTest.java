package com.cameloauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md C15 against a plain socket: no token request can hang. A body that drips is ended by request-timeout
 * (a read timeout never trips on it), silence by read-timeout, an endpoint that never accepts by connect-timeout.
 * Durations given to assertTimeoutPreemptively are hang guards, far above the configured timeouts, not measurements.
 */
class TokenRequestBoundsTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final String HEAD_100K = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final RecordingListener listener = new RecordingListener();
    private final CountingExecutor executor = new CountingExecutor();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        executor.close();
    }

    private TokenManager manager(TestConnection connection) {
        OAuthConnections engine = connection.engine(clock, sleeper, executor, listener);
        closeables.add(engine);
        return engine.tokenManager(TestConnection.NAME).orElseThrow();
    }

    private RawHttpServer server(String head, RawHttpServer.Body body) throws IOException {
        RawHttpServer server = new RawHttpServer(head, body);
        closeables.add(server);
        return server;
    }

    private static void assertNamesConnectionOnly(OAuthTokenException e) {
        assertEquals(TestConnection.NAME, e.connection());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(t.toString().contains(TestConnection.CLIENT_SECRET), t::toString);
        }
    }

    @Test
    void bodyDrippingAByteAtATimeThenRequestTimeoutEndsItAndClosesTheSocket() throws Exception {
        RawHttpServer server = server(HEAD_100K, RawHttpServer.drip(100_000, 200));
        TokenManager manager = manager(TestConnection.onPort(server.port()).with("request-timeout", "1s")
                .with("read-timeout", "5s").with("max-attempts", "1"));

        TokenEndpointUnavailableException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(TokenEndpointUnavailableException.class, manager::authorize), "hang guard");

        assertNamesConnectionOnly(e);
        assertTrue(e.getMessage().contains("request-timeout"), e::getMessage);
        assertTrue(e.isRetryable());
        assertEquals(0, e.httpStatus());
        assertTrue(server.clientClosed().await(10, TimeUnit.SECONDS), "the server saw the client close the socket");
        assertTrue(server.bodyBytesWritten() < 100_000, "the body was not read to its end");
        assertEquals(1, server.requests());
        assertEquals(ConnectionState.UNAVAILABLE, manager.state());
    }

    @Test
    void bodyDrippingOnEveryAttemptThenEachAttemptEndsAtRequestTimeout() throws Exception {
        RawHttpServer server = server(HEAD_100K, RawHttpServer.drip(100_000, 200));
        TokenManager manager = manager(TestConnection.onPort(server.port()).with("request-timeout", "500ms")
                .with("read-timeout", "5s").with("max-attempts", "2"));

        TokenEndpointUnavailableException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(TokenEndpointUnavailableException.class, manager::authorize), "hang guard");

        assertTrue(e.getMessage().contains("request-timeout"), e::getMessage);
        assertEquals(2, server.requests(), "a deadline is retryable, within max-attempts");
        assertEquals(1, sleeper.waits().size(), "one backoff between the two attempts");
    }

    @Test
    void headersThenSilenceThenReadTimeoutEndsTheAttempt() throws Exception {
        RawHttpServer server = server(HEAD_100K, RawHttpServer.drip(100_000, 60_000));
        TokenManager manager = manager(TestConnection.onPort(server.port()).with("read-timeout", "300ms")
                .with("request-timeout", "30s").with("max-attempts", "1"));

        TokenEndpointUnavailableException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(TokenEndpointUnavailableException.class, manager::authorize), "hang guard");

        assertNamesConnectionOnly(e);
        assertTrue(e.getMessage().contains("read-timeout"), e::getMessage);
        assertFalse(e.getMessage().contains("request-timeout"), e::getMessage);
        assertEquals(1, server.requests());
    }

    /** A listening socket whose accept queue is full: Linux drops further SYNs, so a connect waits. */
    @Test
    void endpointThatNeverAcceptsThenConnectTimeoutEndsTheAttempt() throws Exception {
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closeables.add(full);
        for (int i = 0; i < 8; i++) {
            Socket s = new Socket();
            closeables.add(s);
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
            } catch (IOException queueFull) {
                break;
            }
        }
        TokenManager manager = manager(TestConnection.onPort(full.getLocalPort()).with("connect-timeout", "300ms")
                .with("read-timeout", "30s").with("request-timeout", "30s").with("max-attempts", "1"));

        TokenEndpointUnavailableException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(TokenEndpointUnavailableException.class, manager::authorize), "hang guard");

        assertNamesConnectionOnly(e);
        assertTrue(e.getMessage().contains("connect-timeout"), e::getMessage);
        assertFalse(e.getMessage().contains("request-timeout"), e::getMessage);
    }
}
