package com.cameloauth.token;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.Secret;
import com.cameloauth.connection.policy.CustomPolicy;
import com.cameloauth.token.custom.ResponseField;
import com.cameloauth.token.custom.Template;
import com.cameloauth.token.grant.CustomTokenGrant;
import com.cameloauth.token.grant.GrantContext;
import com.cameloauth.token.grant.TokenGrant;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

/**
 * One request of a custom flow: the template rendered with escaped values, sent through the same bounded transport as
 * every token request (no redirects, 1 MiB cap, request-timeout), and the answer read with the configured fields. Errors
 * are the usual typed exceptions; none repeats the body, a value or a token.
 */
final class CustomTokenClient implements TokenRequester {
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x20-\\x7E]+");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final ConnectionDefinition connection;
    private final CustomPolicy policy;
    private final TokenGrant grant;
    private final Clock clock;
    private final TokenTransport transport;
    private final ResponseField accessToken;
    private final Optional<ResponseField> expiresIn;
    private final Optional<ResponseField> tokenType;
    private final Optional<ResponseField> refreshToken;

    CustomTokenClient(ConnectionDefinition connection, CustomPolicy policy, TokenGrant grant, Clock clock,
            TokenTransport transport) {
        this.connection = connection;
        this.policy = policy;
        this.grant = grant;
        this.clock = clock;
        this.transport = transport;
        this.accessToken = ResponseField.of(policy.response().accessToken());
        this.expiresIn = policy.response().expiresIn().map(ResponseField::of);
        this.tokenType = policy.response().tokenType().map(ResponseField::of);
        this.refreshToken = policy.response().refreshToken().map(ResponseField::of);
    }

    @Override
    public String grantName() {
        return grant.name();
    }

    @Override
    public Token requestToken() {
        return request(grant.next(GrantContext.initial(connection, clock.instant()))).token();
    }

    @Override
    public TokenResponse request(AuthorizationGrant authorizationGrant) {
        // the consent callback's code (three-legged) is redeemed through the template too, with the PKCE verifier
        CustomTokenGrant.Request values = authorizationGrant instanceof CustomTokenGrant.Request r ? r
                : authorizationGrant instanceof AuthorizationCodeGrant code ? new CustomTokenGrant.Request(
                        Optional.empty(), Optional.of(code.getAuthorizationCode().getValue()),
                        Optional.ofNullable(code.getCodeVerifier()).map(CodeVerifier::getValue))
                : new CustomTokenGrant.Request(Optional.empty(), Optional.empty());
        HTTPResponse response;
        try {
            response = build(values).send(r -> transport.send(r, connection.timeouts().request()));
        } catch (BoundedHttpSender.BodyTooLargeException e) {
            throw new InvalidTokenResponseException(name(), "token response body is larger than 1 MiB; it was not read",
                    e.status);
        } catch (BoundedHttpSender.DeadlineExceededException e) {
            throw new TokenEndpointUnavailableException(name(), "token request did not finish within request-timeout ("
                    + connection.timeouts().request().toMillis() + " ms)", 0, null, e);
        } catch (InterruptedIOException e) {
            throw new TokenEndpointUnavailableException(name(), "token request timed out", 0, null, e);
        } catch (IOException e) {
            throw new TokenEndpointUnavailableException(name(), "token request failed: " + e.getClass().getSimpleName(),
                    0, null, e);
        }
        Instant receivedAt = clock.instant();
        int status = response.getStatusCode();
        String body = response.getBody() == null ? "" : response.getBody();
        if (status >= 300 && status < 400) {
            throw new InvalidTokenResponseException(name(), "token endpoint answered with a redirect, which is never"
                    + " followed; check token-request-url", status);
        }
        if (status == 429 || status == 503) {
            Duration retryAfter = TokenEndpointClient.retryAfter(response.getHeaderValue("Retry-After"), receivedAt);
            if (retryAfter != null) {
                throw new TokenEndpointUnavailableException(name(), "token endpoint asks to retry after "
                        + retryAfter.toSeconds() + " s", status, retryAfter, null);
            }
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new TokenEndpointUnavailableException(name(), "token endpoint is unavailable", status, null, null);
        }
        Object json = ResponseField.parseJson(body);
        if (status < 200 || status >= 300) {
            String code = json instanceof Map<?, ?> m && m.get("error") instanceof String e
                    && ERROR_CODE.matcher(e).matches() ? e : null;
            if (status == 401 || status == 403 || "invalid_client".equals(code)) {
                throw new InvalidClientException(name(), "token endpoint rejected the credentials; check the values"
                        + " the token request template sends", status, code);
            }
            if ("invalid_grant".equals(code)) { // a refused code or refresh token: the engine drops it, no retry
                throw new InvalidGrantException(name(), "token endpoint refused the grant [error=invalid_grant]", status);
            }
            throw new TokenRequestRejectedException(name(), "token endpoint refused the request", status, code);
        }
        return success(body, json, status, receivedAt);
    }

    private HTTPRequest build(CustomTokenGrant.Request request) throws IOException {
        Map<String, String> values = values(request);
        var template = policy.request();
        HTTPRequest http;
        try {
            URL url = new URI(Template.render(template.url(), values, Template.Target.URL)).toURL();
            http = new HTTPRequest(HTTPRequest.Method.valueOf(template.method()), url);
            template.headers().forEach((name, value) -> http.setHeader(name,
                    Template.render(value, values, Template.Target.HEADER)));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            // the message names the problem, never a value
            throw new IOException("the token request template could not be rendered: " + e.getClass().getSimpleName());
        }
        template.body().ifPresent(body -> {
            boolean json = template.format() == CustomPolicy.BodyFormat.JSON;
            if (http.getEntityContentType() == null && template.headers().keySet().stream()
                    .noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                http.setHeader("Content-Type", template.format().contentType());
            }
            http.setBody(Template.render(body, values, json ? Template.Target.JSON : Template.Target.FORM));
        });
        if (template.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Accept"))) {
            http.setAccept("application/json, text/plain;q=0.9, */*;q=0.5");
        }
        http.setConnectTimeout((int) connection.timeouts().connect().toMillis());
        http.setReadTimeout((int) connection.timeouts().read().toMillis());
        http.setFollowRedirects(false);
        return http;
    }

    private Map<String, String> values(CustomTokenGrant.Request request) {
        Map<String, String> values = new HashMap<>();
        policy.clientId().ifPresent(v -> values.put("client-id", v));
        policy.clientSecret().map(Secret::reveal).ifPresent(v -> values.put("client-secret", v));
        values.put("scope", String.join(" ", policy.scopes()));
        request.refreshToken().ifPresent(v -> values.put("refresh-token", v));
        request.code().ifPresent(v -> values.put("code", v));
        request.codeVerifier().ifPresent(v -> values.put("code-verifier", v));
        policy.consent().ifPresent(c -> values.put("redirect-uri", c.redirectUri().toString()));
        policy.values().forEach((name, secret) -> values.put("value." + name, secret.reveal()));
        return values;
    }

    private TokenResponse success(String body, Object json, int status, Instant receivedAt) {
        if (json == null && (accessToken.isJson() || expiresIn.filter(ResponseField::isJson).isPresent())) {
            throw new InvalidTokenResponseException(name(), "token endpoint answered with a body that is not JSON;"
                    + " check token-request-url, or read the token with token-response-access-token=regex:...", status);
        }
        String value = accessToken.in(body, json).filter(v -> !v.isBlank()).orElseThrow(() ->
                new InvalidTokenResponseException(name(), "token response has no access token at "
                        + accessToken + " (token-response-access-token)", status));
        if (!VISIBLE_ASCII.matcher(value).matches()) {
            throw new InvalidTokenResponseException(name(), "token response has an access token with characters that"
                    + " an HTTP header cannot carry", status);
        }
        String type = tokenType.flatMap(f -> f.in(body, json)).filter(t -> !t.isBlank()).orElse("Bearer");
        if (type.equalsIgnoreCase("DPoP")) {
            throw new InvalidTokenResponseException(name(), "token endpoint issued a DPoP-bound token, but DPoP is not"
                    + " configured for this connection", status);
        }
        Duration lifetime = lifetime(expiresIn.flatMap(f -> f.in(body, json)), status);
        Optional<String> refresh = refreshToken.flatMap(f -> f.in(body, json)).filter(v -> !v.isBlank());
        Token token = Token.of(value, "Bearer", receivedAt, receivedAt.plus(lifetime), policy.scopes());
        return new TokenResponse(token, refresh);
    }

    /** As for standard endpoints: missing means default-expires-in, clamped to max-expires-in, below 1 s "use once". */
    private Duration lifetime(Optional<String> seconds, int status) {
        var timing = connection.timing();
        if (seconds.isEmpty()) {
            return timing.defaultExpiresIn();
        }
        BigDecimal s;
        try {
            s = new BigDecimal(seconds.get().trim());
        } catch (NumberFormatException e) {
            throw new InvalidTokenResponseException(name(), "token response has a lifetime that is not a number"
                    + " (token-response-expires-in)", status);
        }
        if (s.compareTo(BigDecimal.valueOf(timing.maxExpiresIn().getSeconds())) >= 0) {
            return timing.maxExpiresIn();
        }
        return s.compareTo(BigDecimal.ONE) < 0 ? Duration.ZERO : Duration.ofSeconds(s.longValue());
    }

    private String name() {
        return connection.name();
    }
}
