package com.cameloauth.component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An API that checks OAuth 1.0a signatures the way a server does (RFC 5849 section 3.2), with its own implementation
 * written from the RFC text and sharing no code with the signer: it rebuilds the base string from what arrived on the
 * wire (method, Host header, raw path and query, form body), recomputes the HMAC with the secrets it knows, refuses a
 * nonce seen before, and answers 401 on any mismatch, 200 otherwise. Every request is recorded.
 */
final class OAuth1VerifyingServer implements AutoCloseable {
    private static final Pattern PARAM = Pattern.compile("\\s*([A-Za-z0-9_]+)=\"([^\"]*)\"\\s*,?");

    /** What the server received, and what it answered. */
    record Received(String method, URI uri, Map<String, String> oauth, String body, int status, String reason) {
    }

    private final HttpServer server;
    private final Map<String, String> consumerSecrets;
    private final Map<String, String> tokenSecrets;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> nonces = new ConcurrentHashMap<>();

    OAuth1VerifyingServer(Map<String, String> consumerSecrets, Map<String, String> tokenSecrets) throws IOException {
        this.consumerSecrets = consumerSecrets;
        this.tokenSecrets = tokenSecrets;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> oauth = new TreeMap<>();
        String reason = verify(exchange, body, oauth);
        int status = reason == null ? 200 : 401;
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI(), oauth, body, status, reason));
        byte[] answer = (reason == null ? "{\"ok\":true}" : "{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (status == 401) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "OAuth realm=\"verifier\"");
        }
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /** Null when the request is correctly signed, else why not. Fills {@code oauth} with the header's parameters. */
    private String verify(HttpExchange exchange, String body, Map<String, String> oauth) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("OAuth ")) {
            return "no OAuth Authorization header";
        }
        Matcher m = PARAM.matcher(header.substring(6));
        while (m.find()) {
            oauth.put(m.group(1), rfcDecode(m.group(2)));
        }
        String consumerSecret = consumerSecrets.get(oauth.get("oauth_consumer_key"));
        String tokenSecret = tokenSecrets.get(oauth.get("oauth_token"));
        if (consumerSecret == null || tokenSecret == null) {
            return "unknown consumer or token";
        }
        if (!"1.0".equals(oauth.get("oauth_version"))) {
            return "bad version";
        }
        long timestamp = Long.parseLong(oauth.getOrDefault("oauth_timestamp", "0"));
        if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > 300) {
            return "stale timestamp";
        }
        String algorithm = switch (oauth.getOrDefault("oauth_signature_method", "")) {
            case "HMAC-SHA256" -> "HmacSHA256";
            case "HMAC-SHA1" -> "HmacSHA1";
            default -> null;
        };
        if (algorithm == null) {
            return "unsupported signature method";
        }
        // Section 3.4.1.3.1: query, Authorization header parameters (no realm, no signature), form body
        List<String[]> params = new ArrayList<>();
        URI uri = exchange.getRequestURI();
        formPairs(uri.getRawQuery(), params);
        oauth.forEach((k, v) -> {
            if (!k.equals("realm") && !k.equals("oauth_signature")) {
                params.add(new String[] { k, v });
            }
        });
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            formPairs(body, params);
        }
        // Section 3.4.1.3.2: encode, sort by name then value, join
        List<String> pairs = new ArrayList<>();
        for (String[] p : params) {
            pairs.add(rfcEncode(p[0]) + "=" + rfcEncode(p[1]));
        }
        pairs.sort((a, b) -> {
            String[] x = a.split("=", 2);
            String[] y = b.split("=", 2);
            int byName = x[0].compareTo(y[0]);
            return byName != 0 ? byName : x[1].compareTo(y[1]);
        });
        // Section 3.4.1.2: Host header as sent, lowercased; port 80 dropped for http
        String host = exchange.getRequestHeaders().getFirst("Host").toLowerCase();
        if (host.endsWith(":80")) {
            host = host.substring(0, host.length() - 3);
        }
        String baseUri = "http://" + host + uri.getRawPath();
        String baseString = exchange.getRequestMethod().toUpperCase() + "&" + rfcEncode(baseUri) + "&"
                + rfcEncode(String.join("&", pairs));
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec((rfcEncode(consumerSecret) + "&" + rfcEncode(tokenSecret))
                    .getBytes(StandardCharsets.UTF_8), algorithm));
            byte[] expected = mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8));
            byte[] given = Base64.getDecoder().decode(oauth.getOrDefault("oauth_signature", ""));
            if (!MessageDigest.isEqual(expected, given)) {
                return "invalid signature";
            }
        } catch (Exception e) {
            return "invalid signature";
        }
        if (nonces.putIfAbsent(oauth.get("oauth_timestamp") + "/" + oauth.get("oauth_nonce"), Boolean.TRUE) != null) {
            return "nonce used before";
        }
        return null;
    }

    private static void formPairs(String text, List<String[]> into) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String pair : text.split("&")) {
            if (!pair.isEmpty()) {
                String[] nv = pair.split("=", 2);
                into.add(new String[] { URLDecoder.decode(nv[0], StandardCharsets.UTF_8),
                        nv.length > 1 ? URLDecoder.decode(nv[1], StandardCharsets.UTF_8) : "" });
            }
        }
    }

    /** RFC 5849 3.6: unreserved characters as they are, every other UTF-8 byte as %XX (uppercase). */
    private static String rfcEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("%%%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Percent-decoding of header values ('+' is a plus here, not a space). */
    private static String rfcDecode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
