package com.cameloauth.token;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;

/**
 * Sends Nimbus-built token requests with Apache HttpClient 5 (the client under camel-http): never follows
 * redirects, never retries on its own (a token request is a POST: the engine decides about retries), enforces the
 * connection's connect and read timeouts, and refuses response bodies over {@link #MAX_BODY_BYTES} (SECURITY.md
 * C15). TLS verification is on; the JVM's trust store and proxy system properties apply, or the connection's own
 * key store and trust store ({@code tls-*} keys).
 * <p>
 * A read timeout bounds each wait for a packet, not the exchange: a body that drips a byte a second never trips it.
 * So every request also has a deadline (request-timeout) at which it is aborted. Aborting closes the connection at
 * once; closing the body stream instead would make HttpClient read the rest of it to reuse the connection, which is
 * why a body over the cap, and any failure while reading, aborts too.
 * <p>
 * Not {@code HttpURLConnection}: in streaming mode it throws away the body of a 401, losing the OAuth error code,
 * and without streaming mode it silently sends a POST again after a connection reset.
 */
final class BoundedHttpSender implements TokenTransport, Closeable {
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The response body was larger than {@link #MAX_BODY_BYTES}; the request was aborted, the rest not read. */
    static final class BodyTooLargeException extends IOException {
        /** The HTTP status of the answer whose body was refused. */
        final int status;

        BodyTooLargeException(int status) {
            super("response body larger than " + MAX_BODY_BYTES + " bytes", null);
            this.status = status;
        }
    }

    /** The exchange was still going on at its deadline and was aborted. */
    static final class DeadlineExceededException extends IOException {
        DeadlineExceededException(Duration deadline, Throwable cause) {
            super("request aborted at its deadline of " + deadline.toMillis() + " ms", cause);
        }
    }

    private final CloseableHttpClient client;
    private final ScheduledThreadPoolExecutor deadlines;

    /**
     * One client (and pool) for every connection of an {@link OAuthConnections}: a client per connection cost about
     * 30 KiB each in the many-connections benchmark. Timeouts come with each request.
     */
    BoundedHttpSender() {
        this(null);
    }

    /**
     * A sender with a connection's own TLS context (its key store for mutual TLS, its trust store); host names are
     * verified as always. Null for the JVM's defaults.
     */
    BoundedHttpSender(SSLContext tls) {
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(4)
                .setMaxConnTotal(64)
                .useSystemProperties();
        if (tls != null) {
            pool.setTlsSocketStrategy(new DefaultClientTlsStrategy(tls));
        }
        client = HttpClients.custom()
                .setConnectionManager(pool.build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .useSystemProperties()
                .build();
        deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "oauth-token-request-deadline");
            t.setDaemon(true);
            return t;
        });
        deadlines.setRemoveOnCancelPolicy(true);
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request, Duration deadline) throws IOException {
        HttpUriRequestBase http = new HttpUriRequestBase(request.getMethod().name(), request.getURI());
        ContentType contentType = ContentType.APPLICATION_FORM_URLENCODED;
        for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
            if (h.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                contentType = ContentType.parse(h.getValue().get(0));
            } else if (!h.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                h.getValue().forEach(v -> http.addHeader(h.getKey(), v));
            }
        }
        if (request.getBody() != null) {
            http.setEntity(new StringEntity(request.getBody(), contentType.getCharset() == null
                    ? contentType.withCharset(StandardCharsets.UTF_8) : contentType));
        }
        http.setConfig(RequestConfig.custom()
                .setConnectTimeout(Timeout.ofMilliseconds(request.getConnectTimeout()))
                .setResponseTimeout(Timeout.ofMilliseconds(request.getReadTimeout()))
                .build());
        AtomicBoolean deadlineHit = new AtomicBoolean();
        ScheduledFuture<?> timer = deadlines.schedule(() -> {
            deadlineHit.set(true);
            http.abort();
        }, nanos(deadline), TimeUnit.NANOSECONDS);
        try {
            return client.execute(http, HttpClientContext.create(), answer -> toNimbus(answer, http));
        } catch (IOException e) {
            if (deadlineHit.get() && !(e instanceof BodyTooLargeException)) {
                throw new DeadlineExceededException(deadline, e);
            }
            throw e;
        } finally {
            timer.cancel(false);
        }
    }

    private static long nanos(Duration d) {
        try {
            return Math.max(0, d.toNanos());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Reads the answer; on any failure aborts the request, so that HttpClient does not drain the body. */
    private static HTTPResponse toNimbus(ClassicHttpResponse answer, HttpUriRequestBase http) throws IOException {
        try {
            int status = answer.getCode();
            HTTPResponse response = new HTTPResponse(status);
            response.setStatusMessage(answer.getReasonPhrase());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Header h : answer.getHeaders()) {
                headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
            }
            headers.forEach((name, values) -> response.setHeader(name, values.toArray(String[]::new)));
            HttpEntity entity = answer.getEntity();
            if (entity != null) {
                if (entity.getContentLength() > MAX_BODY_BYTES) {
                    throw new BodyTooLargeException(status);
                }
                // Not closed on success either: the body was read to its end, and the handler's caller releases it.
                response.setBody(readCapped(entity.getContent(), status));
            }
            return response;
        } catch (Throwable t) {
            http.abort();
            throw t;
        }
    }

    private static String readCapped(InputStream in, int status) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            if (buf.size() + n > MAX_BODY_BYTES) {
                throw new BodyTooLargeException(status);
            }
            buf.write(chunk, 0, n);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
