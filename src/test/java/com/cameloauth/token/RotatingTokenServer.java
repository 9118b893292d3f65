package com.cameloauth.token;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A token endpoint that rotates refresh tokens the strict way: every refresh token works once; a reused or unknown one
 * gets 400 invalid_grant. It records every request's form parameters and Authorization header, so tests assert what
 * the server saw. Client credentials and authorization code requests get a fresh access and refresh token.
 */
final class RotatingTokenServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final AtomicInteger issued = new AtomicInteger();
    private final Set<String> live = Collections.synchronizedSet(new HashSet<>());
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();
    private final List<String> refreshTokensReceived = new CopyOnWriteArrayList<>();
    private volatile boolean rotate = true;
    private volatile boolean issueRefreshTokens = true;
    private volatile String latestAccessToken;

    RotatingTokenServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(TestConnection.TOKEN_PATH, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** When false, a refresh answers without a new refresh token (the old one stays valid). */
    void rotate(boolean rotate) {
        this.rotate = rotate;
    }

    /** When false, no response carries a refresh token. */
    void issueRefreshTokens(boolean issue) {
        this.issueRefreshTokens = issue;
    }

    /** Revokes every refresh token issued so far (an administrator, or a password change). */
    void revokeAll() {
        live.clear();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(form);
        authorizationHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        String grant = form.getOrDefault("grant_type", "");
        String refreshToken = null;
        if (grant.equals("refresh_token")) {
            String presented = form.get("refresh_token");
            refreshTokensReceived.add(presented);
            if (!live.contains(presented)) {
                send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token is not active\"}");
                return;
            }
            if (rotate) {
                live.remove(presented);
            } else {
                refreshToken = "";
            }
        }
        int n = issued.incrementAndGet();
        String access = "at-" + n;
        latestAccessToken = access;
        if (refreshToken == null && issueRefreshTokens) {
            refreshToken = "rt-" + n;
            live.add(refreshToken);
        }
        send(exchange, 200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":300"
                + (refreshToken == null || refreshToken.isEmpty() ? "" : ",\"refresh_token\":\"" + refreshToken + "\"")
                + "}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    /** Form parameters of every request, in order of arrival. */
    List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    List<String> grantTypes() {
        return requests.stream().map(r -> r.get("grant_type")).toList();
    }

    List<String> authorizationHeaders() {
        return List.copyOf(authorizationHeaders);
    }

    /** Every refresh token presented, in order, reused ones included. */
    List<String> refreshTokensReceived() {
        return new ArrayList<>(refreshTokensReceived);
    }

    String latestAccessToken() {
        return latestAccessToken;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
