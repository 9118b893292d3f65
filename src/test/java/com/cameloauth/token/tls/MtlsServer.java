package com.cameloauth.token.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * An authorization server and API that require a client certificate (needClientAuth) on a free loopback port. The
 * token endpoint binds each token it issues to the SHA-256 thumbprint of the certificate it saw (RFC 8705
 * {@code cnf.x5t#S256}); the API accepts a token only over a connection that presents that same certificate.
 */
final class MtlsServer implements AutoCloseable {
    /** What one request presented: the path, the client certificate's subject, and the form body or Authorization. */
    record Seen(String path, String subject, String detail) {
    }

    private final HttpsServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** token -> x5t#S256 of the certificate it was issued to. */
    final Map<String, String> bindings = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();

    MtlsServer(SSLContext context) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/token", this::token);
        server.createContext("/api", this::api);
        server.start();
    }

    String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void token(HttpExchange exchange) throws IOException {
        X509Certificate client = clientCertificate(exchange);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen("/token", client == null ? null : client.getSubjectX500Principal().getName(), body));
        String token = "mtls-tok-" + issued.incrementAndGet();
        try {
            bindings.put(token, TestPki.thumbprint(client));
        } catch (Exception e) {
            throw new IOException(e);
        }
        String json = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}";
        respond(exchange, 200, json, Map.of("Content-Type", "application/json"));
    }

    private void api(HttpExchange exchange) throws IOException {
        X509Certificate client = clientCertificate(exchange);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        seen.add(new Seen(exchange.getRequestURI().getPath(), client.getSubjectX500Principal().getName(), authorization));
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        String bound = bindings.get(token);
        String presented;
        try {
            presented = TestPki.thumbprint(client);
        } catch (Exception e) {
            throw new IOException(e);
        }
        if (bound == null || !bound.equals(presented)) {
            respond(exchange, 401, "", Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            return;
        }
        respond(exchange, 200, "{\"orders\":[],\"x5t#S256\":\"" + presented + "\"}", Map.of("Content-Type", "application/json"));
    }

    private static X509Certificate clientCertificate(HttpExchange exchange) {
        try {
            Certificate[] chain = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            return (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
