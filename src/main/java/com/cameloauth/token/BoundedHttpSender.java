package com.cameloauth.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;

/**
 * Sends Nimbus-built token requests: never follows redirects, enforces the request's connect and read timeouts, and
 * refuses response bodies over {@link #MAX_BODY_BYTES} (SECURITY.md C15). TLS verification is the JVM's, always on.
 *
 * <p>Uses {@link HttpClient}, which keeps the body of a 401 (the {@code invalid_client} error) and never re-sends a
 * POST by itself. {@code HttpURLConnection} can do only one of the two: in streaming mode it discards every 401 body,
 * and otherwise it re-sends a POST once after a connection reset, behind the engine's retry accounting.
 */
final class BoundedHttpSender implements HTTPRequestSender {
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** Headers that {@link HttpClient} sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** The response body was larger than {@link #MAX_BODY_BYTES}. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("response body larger than " + MAX_BODY_BYTES + " bytes", null);
        }
    }

    private HttpClient client;
    private int clientConnectTimeout = -1;

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        int connectTimeout = request.getConnectTimeout();
        int readTimeout = request.getReadTimeout();
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(request.getURL().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("invalid URL: " + e.getMessage(), e);
        }
        String body = request.getBody();
        builder.method(request.getMethod().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (readTimeout > 0) {
            builder.timeout(Duration.ofMillis(readTimeout)); // until the response headers arrive
        }
        for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
            if (!RESTRICTED_HEADERS.contains(h.getKey().toLowerCase())) {
                h.getValue().forEach(value -> builder.header(h.getKey(), value));
            }
        }
        CompletableFuture<HttpResponse<byte[]>> future = client(connectTimeout).sendAsync(builder.build(),
                info -> new CappedBody(info.headers().firstValueAsLong("Content-Length").orElse(-1)));
        HttpResponse<byte[]> answer = await(future, connectTimeout, readTimeout);

        HTTPResponse response = new HTTPResponse(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !values.isEmpty()) {
                response.setHeader(name, values.toArray(String[]::new));
            }
        });
        if (answer.body().length > 0) {
            response.setBody(new String(answer.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    /** One client per connect timeout (a token endpoint client always uses the same one): clients are costly. */
    private synchronized HttpClient client(int connectTimeout) {
        if (client == null || clientConnectTimeout != connectTimeout) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (connectTimeout > 0) {
                b.connectTimeout(Duration.ofMillis(connectTimeout));
            }
            client = b.build();
            clientConnectTimeout = connectTimeout;
        }
        return client;
    }

    /**
     * Waits for the whole answer. The request timeout covers the headers only, so the body gets another read
     * timeout: a server that trickles its answer cannot hold the caller longer than connect + 2 x read.
     */
    private static HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> future, int connectTimeout,
            int readTimeout) throws IOException {
        try {
            return readTimeout > 0 ? future.get(Math.max(connectTimeout, 0) + 2L * readTimeout, TimeUnit.MILLISECONDS)
                    : future.get();
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new SocketTimeoutException("no complete response within the read timeout");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the token endpoint");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof HttpTimeoutException t) {
                SocketTimeoutException timeout = new SocketTimeoutException(t.getMessage());
                timeout.initCause(t);
                throw timeout;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "token request failed" : cause.getClass().getSimpleName(), cause);
        }
    }

    /** Collects the body, and gives up (cancelling the transfer) as soon as it would exceed the cap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long declaredLength;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
        private Flow.Subscription subscription;

        CappedBody(long declaredLength) {
            this.declaredLength = declaredLength;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declaredLength > MAX_BODY_BYTES) {
                subscription.cancel();
                result.completeExceptionally(new BodyTooLargeException());
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + item.remaining() > MAX_BODY_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new BodyTooLargeException());
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                buffer.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
