package com.cameloauth.component;

import java.io.InputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Producer;
import org.apache.camel.StreamCache;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.component.http.helper.HttpMethodHelper;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.http.common.HttpCommonEndpoint;
import org.apache.camel.http.common.HttpHelper;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;

import com.cameloauth.auth.OAuth1Signer;
import com.cameloauth.auth.RequestSigner;
import com.cameloauth.auth.RequestSigner.SignedHeader;
import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.policy.CustomPolicy;
import com.cameloauth.connection.policy.OAuth1Policy;
import com.cameloauth.connection.policy.TokenExchangePolicy;
import com.cameloauth.observe.ApiCallRecorder;
import com.cameloauth.token.Authorization;
import com.cameloauth.token.RequestAuthorizer;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.SubjectTokenExchange;
import com.cameloauth.token.Token;
import com.cameloauth.token.dpop.DpopProofs;

/**
 * Sends the exchange through camel-http with the connection's credential, and replays it once with a new token when
 * the API answers 401. camel-http itself is blocking, so this producer is too: an async shell would add nothing.
 */
final class OAuthProducer extends DefaultProducer {
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    private final OAuthEndpoint endpoint;
    private RequestAuthorizer authorizer;
    private ConnectionDefinition definition;
    private Producer http;
    private HttpCommonEndpoint httpEndpoint;
    private RequestTargetGuard guard;
    /** Signs each attempt afresh (oauth1); null for policies whose credential is computed once per token. */
    private RequestSigner signer;
    /** DPoP proofs of the connection (a fresh one per attempt); null without dpop=true. */
    private DpopProofs dpop;
    /** The query parameter that carries the token (custom, token-placement=query); null: the header does. */
    private String tokenQueryParameter;
    /** Counts every HTTP request sent, by status class. */
    private ApiCallRecorder calls = ApiCallRecorder.NONE;

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
        if (operation == OAuthOperation.token || operation == OAuthOperation.refresh
                || operation == OAuthOperation.revoke || operation == OAuthOperation.introspect) {
            if (!definition.policy().isOAuth()) {
                throw new IllegalArgumentException("oauth:" + definition.name() + "?operation=" + operation + " needs an"
                        + " OAuth policy; connection '" + definition.name() + "' uses policy '" + definition.policy() + "'");
            }
        } else if (operation == OAuthOperation.consent_url
                && !endpoint.getComponent().getConnections().takesConsent(definition.name())) {
            throw new IllegalArgumentException("oauth:" + definition.name() + "?operation=consent-url: connection '"
                    + definition.name() + "' has policy '" + definition.policy() + "', which takes no consent; only"
                    + " authorization-code connections do");
        } else if (operation == OAuthOperation.call) {
            guard = new RequestTargetGuard(definition.name(), definition.baseUrl());
            String uri = httpUri();
            if (!guard.contains(uri)) {
                throw new IllegalArgumentException("oauth:" + definition.name() + "/" + endpoint.getPath() + ": the path"
                        + " leaves the base-url path of connection '" + definition.name() + "'; give a path below it");
            }
            Endpoint target = endpoint.getComponent().httpComponentFor(definition).createEndpoint(uri);
            httpEndpoint = (HttpCommonEndpoint) target;
            target.configureProperties(new HashMap<>(Map.of("throwExceptionOnFailure", endpoint.isThrowExceptionOnFailure())));
            http = target.createProducer();
            ServiceHelper.startService(http);
            calls = endpoint.getComponent().apiCallRecorder();
            if (definition.security() instanceof CustomPolicy custom
                    && custom.placement() == CustomPolicy.TokenPlacement.QUERY) {
                tokenQueryParameter = custom.queryParameter();
            }
            if (definition.security() instanceof OAuth1Policy oauth1) {
                signer = new OAuth1Signer(oauth1, Clock.systemUTC(), new SecureRandom());
            }
            dpop = endpoint.getComponent().getConnections().dpop(definition.name()).orElse(null);
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
                putToken(exchange.getMessage(), authorizerFor(exchange));
                return;
            }
            case refresh -> {
                OAuthConnections connections = endpoint.getComponent().getConnections();
                if (authorizer instanceof SubjectTokenExchange perSubject) {
                    throw perSubject.noSharedToken();
                }
                Token token = connections.tokenManager(definition.name()).orElseThrow(() -> new IllegalArgumentException(
                        "oauth:" + definition.name() + ": operation=refresh needs an OAuth connection; policy '"
                        + definition.policy().value() + "' has static credentials")).refresh();
                exchange.getMessage().setHeader(OAuthConstants.TOKEN_EXPIRES_AT, token.expiresAt());
                exchange.getMessage().setHeader(OAuthConstants.TOKEN_FINGERPRINT, token.fingerprint());
                return;
            }
            case test -> {
                exchange.getMessage().setBody(ConnectionTest.run(endpoint.getComponent().getConnections(), definition));
                return;
            }
            case revoke -> {
                exchange.getMessage().setBody(revocationReport(
                        endpoint.getComponent().getConnections().revoke(definition.name())));
                return;
            }
            case introspect -> {
                exchange.getMessage().setBody(new java.util.LinkedHashMap<>(
                        endpoint.getComponent().getConnections().introspect(definition.name()).claims()));
                return;
            }
            case consent_url -> {
                String url = endpoint.getComponent().getConnections().beginConsent(definition.name()).toString();
                exchange.getMessage().setHeader(OAuthConstants.CONSENT_URL, url);
                exchange.getMessage().setBody(url);
                return;
            }
            default -> {
                // call: below
            }
        }
        call(exchange);
    }

    /**
     * camel-http builds the request from {@code exchange.getIn()}, and lets a CamelRestHttpUri or CamelHttpUri header
     * replace the whole URL (resolving {{...}} placeholders in it). Neither may carry our credential elsewhere: both
     * are taken off for the call and given back after it; CamelHttpPath is checked, then the URL it makes.
     */
    private void call(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        Object restUri = in.removeHeader(Exchange.REST_HTTP_URI);
        Object httpUri = in.removeHeader(Exchange.HTTP_URI);
        Message current = exchange.getMessage();
        if (current != in) {
            Object currentRestUri = current.removeHeader(Exchange.REST_HTTP_URI);
            Object currentHttpUri = current.removeHeader(Exchange.HTTP_URI);
            restUri = restUri != null ? restUri : currentRestUri;
            httpUri = httpUri != null ? httpUri : currentHttpUri;
        }
        try {
            String path = in.getHeader(Exchange.HTTP_PATH, String.class);
            if (path != null) {
                guard.checkPathHeader(exchange, path);
                guard.checkUrl(exchange, HttpHelper.createURL(exchange, httpEndpoint), Exchange.HTTP_PATH);
            }
            sendAndReplay(exchange, in, authorizerFor(exchange));
        } catch (HttpOperationFailedException e) {
            throw e instanceof OAuthHttpOperationFailedException ? e : new OAuthHttpOperationFailedException(definition.name(), e);
        } finally {
            Message answer = exchange.getMessage();
            if (restUri != null) {
                answer.setHeader(Exchange.REST_HTTP_URI, restUri);
            }
            if (httpUri != null) {
                answer.setHeader(Exchange.HTTP_URI, httpUri);
            }
        }
    }

    private void sendAndReplay(Exchange exchange, Message in, RequestAuthorizer authorizer) throws Exception {
        Object body = in.getBody();
        Object restQuery = in.getHeader(Exchange.REST_HTTP_QUERY); // camel-http consumes it; a replay needs it again
        Authorization used = authorizer.authorize();
        try {
            sendWithNonce(exchange, used, body, restQuery);
        } catch (HttpOperationFailedException e) {
            if (!shouldReplay(e.getStatusCode(), BearerChallenge.header(e.getResponseHeaders(), WWW_AUTHENTICATE))) {
                throw e;
            }
            replay(exchange, authorizer, used, body, restQuery, e);
            return;
        }
        if (!endpoint.isThrowExceptionOnFailure()) {
            // camel-http put its answer in a new out message: read it from there
            Message answer = exchange.getMessage();
            if (shouldReplay(answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), answer.getHeader(WWW_AUTHENTICATE))) {
                replay(exchange, authorizer, used, body, restQuery, null);
            }
        }
    }

    /**
     * Sends once; with a DPoP-bound token, once more when the API answers 401 {@code use_dpop_nonce} with a DPoP-Nonce
     * (RFC 9449 9): the same token, a fresh proof that carries the nonce. Never more than one retry.
     */
    private void sendWithNonce(Exchange exchange, Authorization authorization, Object body, Object restQuery)
            throws Exception {
        if (!dpopBound(authorization)) {
            send(exchange, authorization);
            return;
        }
        try {
            send(exchange, authorization);
        } catch (HttpOperationFailedException e) {
            Map<String, String> headers = e.getResponseHeaders();
            if (!nonceAsked(e.getStatusCode(), BearerChallenge.header(headers, WWW_AUTHENTICATE),
                    BearerChallenge.header(headers, DpopProofs.NONCE_HEADER))) {
                throw e;
            }
            prepareResend(exchange, body, restQuery);
            send(exchange, authorization);
            return;
        }
        Message answer = exchange.getMessage();
        if (!endpoint.isThrowExceptionOnFailure() && nonceAsked(answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0,
                Integer.class), answer.getHeader(WWW_AUTHENTICATE), answer.getHeader(DpopProofs.NONCE_HEADER, String.class))) {
            prepareResend(exchange, body, restQuery);
            send(exchange, authorization);
        } else {
            dpop.apiNonce(answer.getHeader(DpopProofs.NONCE_HEADER, String.class)); // a server may send the next one early
        }
    }

    /** A 401 whose challenge is use_dpop_nonce and that brings a nonce: remembered for the next proofs. */
    private boolean nonceAsked(int status, Object wwwAuthenticate, String nonce) {
        if (status != 401 || nonce == null || wwwAuthenticate == null
                || !wwwAuthenticate.toString().contains(DpopProofs.USE_DPOP_NONCE)) {
            return false;
        }
        dpop.apiNonce(nonce);
        return true;
    }

    /** Puts the credential on the message camel-http reads, and takes it off every message of the exchange after. */
    private void send(Exchange exchange, Authorization authorization) throws Exception {
        Message in = exchange.getIn();
        boolean inQuery = tokenQueryParameter != null && authorization.token() != null;
        String credentialHeader = inQuery ? null : authorization.headerName();
        if (credentialHeader != null) {
            in.setHeader(credentialHeader, authorization.headerValue());
        }
        Object query = in.getHeader(Exchange.HTTP_QUERY);
        if (inQuery) {
            // opted in (allow-token-in-query): the token joins the caller's query for this request only
            String token = tokenQueryParameter + "=" + java.net.URLEncoder.encode(authorization.token().value(),
                    java.nio.charset.StandardCharsets.UTF_8);
            in.setHeader(Exchange.HTTP_QUERY, query == null || query.toString().isEmpty() ? token : query + "&" + token);
        }
        String methodAsText = methodAsEnum(in);
        SignedHeader signed = null;
        try {
            signed = signer != null ? sign(exchange) : dpopBound(authorization) ? dpopProof(exchange, authorization) : null;
            if (signed != null) {
                in.setHeader(signed.name(), signed.value());
            }
            sendCounted(exchange);
        } finally {
            Message answer = exchange.getMessage();
            if (credentialHeader != null) {
                in.removeHeader(credentialHeader);
                answer.removeHeader(credentialHeader);
            }
            if (inQuery) {
                restoreQuery(in, query);
                restoreQuery(answer, query);
            }
            if (signed != null) {
                in.removeHeader(signed.name());
                answer.removeHeader(signed.name());
            }
            if (methodAsText != null) {
                restoreMethod(in, methodAsText);
                restoreMethod(answer, methodAsText);
            }
        }
    }

    /** One HTTP request, counted by the status it answered (0: none, an I/O error). */
    private void sendCounted(Exchange exchange) throws Exception {
        int status = 0;
        try {
            http.process(exchange);
            Exception failed = exchange.getException();
            status = failed instanceof HttpOperationFailedException h ? h.getStatusCode()
                    : failed != null ? 0 : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        } catch (HttpOperationFailedException e) {
            status = e.getStatusCode();
            throw e;
        } finally {
            calls.apiCall(definition.name(), status);
        }
    }

    /**
     * Signs the request camel-http is about to send: its method and URL worked out by camel-http's own helpers (the
     * same ones its producer uses), and a form body when it is text of type application/x-www-form-urlencoded.
     */
    private SignedHeader sign(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        URI uri = requestUri(exchange);
        String method = HttpMethodHelper.createMethod(exchange, (HttpEndpoint) httpEndpoint).name();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        Optional<String> form = contentType != null && in.getBody() instanceof String body
                && contentType.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                ? Optional.of(body) : Optional.empty();
        return signer.sign(method, uri, form);
    }

    /** A token the server bound to our DPoP key (token_type DPoP): it needs a fresh proof on every request. */
    private boolean dpopBound(Authorization authorization) {
        return dpop != null && authorization.token() != null && "DPoP".equals(authorization.token().type());
    }

    /** RFC 9449 7: a proof of this request's method and URL, with ath of the token it carries. */
    private SignedHeader dpopProof(Exchange exchange, Authorization authorization) throws Exception {
        String method = HttpMethodHelper.createMethod(exchange, (HttpEndpoint) httpEndpoint).name();
        return new SignedHeader(DpopProofs.HEADER, dpop.forApiCall(method, requestUri(exchange),
                authorization.token().value()));
    }

    /** The URL camel-http is about to call, worked out by its own helpers (the ones its producer uses). */
    private URI requestUri(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        HttpEndpoint target = (HttpEndpoint) httpEndpoint;
        Object restQuery = in.getHeader(Exchange.REST_HTTP_QUERY); // createURI consumes it; camel-http needs it next
        URI uri;
        try {
            uri = HttpHelper.createURI(exchange, HttpHelper.createURL(exchange, target), target);
        } finally {
            if (restQuery != null) {
                in.setHeader(Exchange.REST_HTTP_QUERY, restQuery);
            }
        }
        return uri;
    }

    /** The caller's own query again: the token must not stay on any message. */
    private static void restoreQuery(Message message, Object query) {
        if (query == null) {
            message.removeHeader(Exchange.HTTP_QUERY);
        } else {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
    }

    private static void restoreMethod(Message message, String methodAsText) {
        if (message.getHeader(Exchange.HTTP_METHOD) instanceof HttpMethods) {
            message.setHeader(Exchange.HTTP_METHOD, methodAsText);
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
    private boolean shouldReplay(int status, Object wwwAuthenticate) {
        return status == 401 && endpoint.isReplayOnUnauthorized() && BearerChallenge.mayBeStaleToken(wwwAuthenticate);
    }

    private void replay(Exchange exchange, RequestAuthorizer authorizer, Authorization used, Object body, Object restQuery,
            HttpOperationFailedException failure) throws Exception {
        Optional<Authorization> next = authorizer.afterRejection(used);
        if (next.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            return;
        }
        prepareResend(exchange, body, restQuery);
        Message in = exchange.getIn();
        Token token = next.get().token();
        in.setHeader(OAuthConstants.REPLAYED, Boolean.TRUE);
        if (token != null) {
            in.setHeader(OAuthConstants.TOKEN_FINGERPRINT, token.fingerprint());
        }
        try {
            sendWithNonce(exchange, next.get(), body, restQuery);
        } finally {
            Message answer = exchange.getMessage();
            answer.setHeader(OAuthConstants.REPLAYED, Boolean.TRUE);
            if (token != null) {
                answer.setHeader(OAuthConstants.TOKEN_FINGERPRINT, token.fingerprint());
            }
        }
    }

    /** Puts the request back as it was before the first attempt: the body (a stream only if cached) and the query. */
    private void prepareResend(Exchange exchange, Object body, Object restQuery) throws Exception {
        if (body instanceof InputStream && !(body instanceof StreamCache)) {
            throw new NonReplayableBodyException(exchange, definition.name());
        }
        if (body instanceof StreamCache cache) {
            cache.reset();
        }
        Message in = exchange.getIn();
        Message firstAnswer = exchange.getMessage();
        if (firstAnswer != in) {
            // camel-http appends to an existing out message: the first answer must not mix with the second
            firstAnswer.getHeaders().clear();
            firstAnswer.setBody(null);
        }
        in.setBody(body);
        if (restQuery != null) {
            in.setHeader(Exchange.REST_HTTP_QUERY, restQuery);
        }
    }

    /** The body of operation=revoke: what the server revoked, what failed, and the state now. */
    private static Map<String, Object> revocationReport(com.cameloauth.token.RevocationResult r) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("connection", r.connection());
        body.put("revoked", r.revoked());
        body.put("failures", r.failures());
        body.put("serverSide", r.serverSide());
        body.put("state", r.state().name());
        return body;
    }

    private void putToken(Message in, RequestAuthorizer authorizer) {
        Authorization authorization = authorizer.authorize();
        Token token = authorization.token();
        in.setHeader(OAuthConstants.ACCESS_TOKEN, token.value());
        in.setHeader(OAuthConstants.AUTHORIZATION, authorization.headerValue());
        in.setHeader(OAuthConstants.TOKEN_EXPIRES_AT, token.expiresAt());
        in.setHeader(OAuthConstants.TOKEN_FINGERPRINT, token.fingerprint());
    }

    /**
     * The authorizer for this exchange: per subject token for a token-exchange connection that takes it from the
     * {@code CamelOAuthSubjectToken} header; the connection's own otherwise. A token-exchange connection without that
     * opt-in refuses a message carrying the header, before any token request: whoever feeds the route could set it.
     */
    private RequestAuthorizer authorizerFor(Exchange exchange) {
        Object subject = exchange.getIn().getHeader(OAuthConstants.SUBJECT_TOKEN);
        if (authorizer instanceof SubjectTokenExchange perSubject) {
            return perSubject.forSubject(subject instanceof String s ? s : null);
        }
        if (subject != null && definition.security() instanceof TokenExchangePolicy) {
            throw new IllegalArgumentException("oauth:" + definition.name() + ": the message has a "
                    + OAuthConstants.SUBJECT_TOKEN + " header, but connection '" + definition.name() + "' exchanges the"
                    + " token of its subject-connection; set subject-token-from-header=true to exchange a token from the"
                    + " message (only where the route, not its caller, sets the header), or remove the header");
        }
        return authorizer;
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
