package com.cameloauth.component;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.StreamCache;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.Authorization;
import com.cameloauth.token.RequestAuthorizer;
import com.cameloauth.token.Token;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;

/**
 * Sends the exchange through camel-http with the connection's credential, and replays it once with a new token when
 * the API answers 401. camel-http itself is blocking, so this producer is too: an async shell would add nothing.
 */
final class OAuthProducer extends DefaultProducer {
    private final OAuthEndpoint endpoint;
    private RequestAuthorizer authorizer;
    private ConnectionDefinition definition;
    private Producer http;

    OAuthProducer(OAuthEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        if (endpoint.isAllConnections()) {
            throw new IllegalArgumentException("to(\"oauth:*\"): '*' means every connection and is for consumers only;"
                    + " name one connection");
        }
        definition = endpoint.definition();
        authorizer = endpoint.getComponent().getConnections().authorizer(definition.name());
        OAuthOperation operation = endpoint.getOperation();
        if (operation == OAuthOperation.token || operation == OAuthOperation.refresh) {
            if (!definition.policy().isOAuth()) {
                throw new IllegalArgumentException("oauth:" + definition.name() + "?operation=" + operation + " needs an"
                        + " OAuth policy; connection '" + definition.name() + "' uses policy '" + definition.policy() + "'");
            }
        } else if (operation == OAuthOperation.call) {
            Endpoint target = endpoint.getComponent().httpComponentFor(definition).createEndpoint(httpUri());
            target.configureProperties(new HashMap<>(Map.of("throwExceptionOnFailure", endpoint.isThrowExceptionOnFailure())));
            http = target.createProducer();
            ServiceHelper.startService(http);
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(http);
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        switch (endpoint.getOperation()) {
            case token -> {
                putToken(exchange.getMessage());
                return;
            }
            case refresh -> {
                Token token = endpoint.getComponent().getConnections().tokenManager(definition.name()).orElseThrow().refresh();
                exchange.getMessage().setHeader(OAuthConstants.TOKEN_EXPIRES_AT, token.expiresAt());
                exchange.getMessage().setHeader(OAuthConstants.TOKEN_FINGERPRINT, token.fingerprint());
                return;
            }
            case test -> {
                exchange.getMessage().setBody(ConnectionTest.run(endpoint.getComponent().getConnections(), definition));
                return;
            }
            default -> {
                // call: below
            }
        }
        Message in = exchange.getMessage();
        // A CamelHttpUri header (say, from an inbound HTTP request) must never send our credential elsewhere.
        Object httpUriHeader = in.removeHeader(Exchange.HTTP_URI);
        Object body = in.getBody();
        Map<String, Object> headersBefore = endpoint.isThrowExceptionOnFailure() ? null : new HashMap<>(in.getHeaders());
        Authorization used = authorizer.authorize();
        try {
            try {
                send(exchange, used);
            } catch (HttpOperationFailedException e) {
                if (!shouldReplay(e.getStatusCode(), e.getResponseHeaders().get("WWW-Authenticate"))) {
                    throw e;
                }
                replay(exchange, used, body, null, e);
                return;
            }
            // camel-http may have put a new message on the exchange: read the answer from there
            Message answer = exchange.getMessage();
            if (headersBefore != null && shouldReplay(answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                    answer.getHeader("WWW-Authenticate", String.class))) {
                replay(exchange, used, body, headersBefore, null);
            }
        } finally {
            if (httpUriHeader != null) {
                exchange.getMessage().setHeader(Exchange.HTTP_URI, httpUriHeader);
            }
        }
    }

    private void send(Exchange exchange, Authorization authorization) throws Exception {
        Message in = exchange.getMessage();
        if (authorization.headerName() != null) {
            in.setHeader(authorization.headerName(), authorization.headerValue());
        }
        String methodAsText = methodAsEnum(in);
        try {
            http.process(exchange);
        } finally {
            Message out = exchange.getMessage();
            if (authorization.headerName() != null) {
                out.removeHeader(authorization.headerName());
            }
            if (methodAsText != null && out.getHeader(Exchange.HTTP_METHOD) instanceof HttpMethods) {
                out.setHeader(Exchange.HTTP_METHOD, methodAsText);
            }
        }
    }

    /**
     * Routes (YAML above all) set CamelHttpMethod as a String; camel-http then converts it on every call through
     * Camel's generic type-converter lookup, which the benchmark measured at about 20 us a call. A direct valueOf does
     * the same conversion; the String is put back after the call. Returns the String it replaced, or null.
     */
    private static String methodAsEnum(Message in) {
        if (in.getHeader(Exchange.HTTP_METHOD) instanceof String text) {
            try {
                in.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT)));
                return text;
            } catch (IllegalArgumentException unknown) {
                return null; // let camel-http report it as it always does
            }
        }
        return null;
    }

    /** 401 with invalid_token or no error code: the token may be stale. Any other 401 error is not ours to fix. */
    private boolean shouldReplay(int status, String wwwAuthenticate) {
        if (status != 401 || !endpoint.isReplayOnUnauthorized()) {
            return false;
        }
        if (wwwAuthenticate == null || !wwwAuthenticate.contains("error")) {
            return true;
        }
        try {
            BearerTokenError error = BearerTokenError.parse(wwwAuthenticate);
            return error.getCode() == null || BearerTokenError.INVALID_TOKEN.getCode().equals(error.getCode());
        } catch (Exception e) {
            return true;
        }
    }

    private void replay(Exchange exchange, Authorization used, Object body, Map<String, Object> headersBefore,
            HttpOperationFailedException failure) throws Exception {
        Optional<Authorization> next = authorizer.afterRejection(used);
        if (next.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            return;
        }
        if (body instanceof InputStream && !(body instanceof StreamCache)) {
            throw new NonReplayableBodyException(exchange, definition.name());
        }
        if (body instanceof StreamCache cache) {
            cache.reset();
        }
        Message in = exchange.getMessage();
        if (headersBefore != null) {
            in.getHeaders().clear();
            in.getHeaders().putAll(headersBefore);
        }
        in.setBody(body);
        in.setHeader(OAuthConstants.REPLAYED, Boolean.TRUE);
        Token token = next.get().token();
        if (token != null) {
            in.setHeader(OAuthConstants.TOKEN_FINGERPRINT, token.fingerprint());
        }
        send(exchange, next.get());
    }

    private void putToken(Message in) {
        Authorization authorization = authorizer.authorize();
        Token token = authorization.token();
        in.setHeader(OAuthConstants.ACCESS_TOKEN, token.value());
        in.setHeader(OAuthConstants.AUTHORIZATION, authorization.headerValue());
        in.setHeader(OAuthConstants.TOKEN_EXPIRES_AT, token.expiresAt());
        in.setHeader(OAuthConstants.TOKEN_FINGERPRINT, token.fingerprint());
    }

    private String httpUri() {
        String base = definition.baseUrl().toString();
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path.isEmpty() ? base : base + "/" + path;
    }
}
