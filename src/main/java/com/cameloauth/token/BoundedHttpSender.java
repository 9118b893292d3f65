package com.cameloauth.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;

/**
 * Sends Nimbus-built token requests: never follows redirects, enforces the request's connect and read timeouts, and
 * refuses response bodies over {@link #MAX_BODY_BYTES} (SECURITY.md C15). TLS verification is the JVM's, always on.
 */
final class BoundedHttpSender implements HTTPRequestSender {
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The response body was larger than {@link #MAX_BODY_BYTES}. */
    static final class BodyTooLargeException extends IOException {
        /** The HTTP status of the answer whose body was refused. */
        final int status;

        BodyTooLargeException(int status) {
            super("response body larger than " + MAX_BODY_BYTES + " bytes", null);
            this.status = status;
        }
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) request.getURL().openConnection();
        try {
            conn.setInstanceFollowRedirects(false);
            conn.setUseCaches(false);
            conn.setConnectTimeout(request.getConnectTimeout());
            conn.setReadTimeout(request.getReadTimeout());
            conn.setRequestMethod(request.getMethod().name());
            for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
                for (String value : h.getValue()) {
                    conn.addRequestProperty(h.getKey(), value);
                }
            }
            String body = request.getBody();
            if (body != null) {
                conn.setDoOutput(true);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                conn.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = conn.getResponseCode();
            if (conn.getContentLengthLong() > MAX_BODY_BYTES) {
                throw new BodyTooLargeException(status);
            }
            HTTPResponse response = new HTTPResponse(status);
            response.setStatusMessage(conn.getResponseMessage());
            conn.getHeaderFields().forEach((name, values) -> {
                if (name != null && values != null && !values.isEmpty()) {
                    response.setHeader(name, values.toArray(String[]::new));
                }
            });
            InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            if (in != null) {
                try (in) {
                    response.setBody(readCapped(in, status));
                }
            }
            return response;
        } finally {
            conn.disconnect();
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
}
