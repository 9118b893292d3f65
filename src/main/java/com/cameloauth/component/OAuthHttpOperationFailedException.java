package com.cameloauth.component;

import java.net.URI;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The API answered an {@code oauth:} call outside 2xx. The same exception camel-http throws (same URI, status code,
 * status text, redirect location, response headers and body), with a message that starts with the connection's name
 * and shows the URL without user info or query.
 */
public class OAuthHttpOperationFailedException extends HttpOperationFailedException {
    private static final long serialVersionUID = 1L;

    private final String connection;
    private final String message;

    public OAuthHttpOperationFailedException(String connection, HttpOperationFailedException failure) {
        super(failure.getUri(), failure.getStatusCode(), failure.getStatusText(), failure.getRedirectLocation(),
                failure.getResponseHeaders(), failure.getResponseBody());
        this.connection = connection;
        this.message = "OAuth connection '" + connection + "': HTTP operation failed invoking " + shown(failure.getUri())
                + " with statusCode: " + failure.getStatusCode()
                + (failure.getRedirectLocation() != null ? ", redirectLocation: " + shown(failure.getRedirectLocation()) : "");
        setStackTrace(failure.getStackTrace());
    }

    /** The connection the call went through. */
    public String getConnection() {
        return connection;
    }

    @Override
    public String getMessage() {
        return message;
    }

    /** scheme://host[:port]/path: no user info, no query, no fragment. */
    static String shown(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
            }
        } catch (java.net.URISyntaxException e) {
            // fall through: cut what could carry data
        }
        String cut = url.split("[?#]", 2)[0];
        int scheme = cut.indexOf("://");
        int at = cut.indexOf('@', scheme + 3);
        int slash = cut.indexOf('/', scheme + 3);
        return scheme >= 0 && at >= 0 && (slash < 0 || at < slash) ? cut.substring(0, scheme + 3) + cut.substring(at + 1) : cut;
    }
}
