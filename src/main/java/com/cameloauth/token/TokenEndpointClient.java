package com.cameloauth.token;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.hc.client5.http.ConnectTimeoutException;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.ConnectionDefinition.OAuthClient;
import com.cameloauth.connection.policy.OAuthPolicy;
import com.cameloauth.token.dpop.DpopProofs;
import com.cameloauth.token.grant.GrantContext;
import com.cameloauth.token.grant.TokenGrant;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import net.minidev.json.JSONObject;

/**
 * One token request, one attempt: builds it with Nimbus, sends it through a {@link TokenTransport} (the
 * {@link BoundedHttpSender}) within request-timeout, and turns the answer into a {@link Token} or a typed
 * {@link OAuthTokenException}, never anything else. Retries and caching live elsewhere.
 */
final class TokenEndpointClient implements TokenRequester {
    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client", "unauthorized_client");
    private static final int MAX_DESCRIPTION = 200;
    /** Retry-After values above this (about 31,700 years) are read as this: any Duration arithmetic stays exact. */
    static final long MAX_RETRY_AFTER_SECONDS = 1_000_000_000_000L;
    private static final Set<String> KNOWN_MEDIA_TYPES = Set.of("application/json", "text/html", "text/plain",
            "text/xml", "application/xml", "application/x-www-form-urlencoded", "application/jwt", "text/javascript",
            "application/octet-stream", "application/problem+json");
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x20-\\x7E]+");
    private static final Pattern DELAY_SECONDS = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,400}(\\.\\d{1,400})?");

    private final ConnectionDefinition connection;
    private final OAuthClient client;
    private final TokenGrant grant;
    private final Clock clock;
    private final ClientAuthenticator authenticator;
    private final TokenTransport transport;
    /** DPoP proofs of this connection; null without DPoP. Set once, right after construction. */
    private DpopProofs dpop;

    TokenEndpointClient(ConnectionDefinition connection, TokenGrant grant, Clock clock, TokenTransport transport) {
        this(connection, grant, clock, transport, connection.security() instanceof OAuthPolicy p
                ? ClientAuthenticators.fixed(connection.name(), p.client(), clock)
                : ClientAuthenticator.of(oauthClientOf(connection)));
    }

    TokenEndpointClient(ConnectionDefinition connection, TokenGrant grant, Clock clock, TokenTransport transport,
            ClientAuthenticator authenticator) {
        this.connection = connection;
        this.client = oauthClientOf(connection);
        this.grant = grant;
        this.clock = clock;
        this.authenticator = authenticator;
        this.transport = transport;
    }

    private static OAuthClient oauthClientOf(ConnectionDefinition connection) {
        return connection.oauthClient().orElseThrow(
                () -> new IllegalArgumentException("connection '" + connection.name() + "' has no OAuth client"));
    }

    @Override
    public String grantName() {
        return grant.name();
    }

    /** How this client authenticates (also at the revocation and introspection endpoints). */
    ClientAuthenticator authenticator() {
        return authenticator;
    }

    /** After invalid_client: whether the client's credentials changed in configuration (see {@link ClientAuthenticator#reload}). */
    @Override
    public boolean reloadCredentials() {
        return authenticator.reload();
    }

    /** One request with the grant's first request (no token set yet); the access token only. */
    @Override
    public Token requestToken() {
        return request(grant.next(GrantContext.initial(connection, clock.instant()))).token();
    }

    /** One request with {@code authorizationGrant}: the access token and the refresh token, if one was issued. */
    @Override
    public TokenResponse request(AuthorizationGrant authorizationGrant) {
        HTTPResponse response = send(authorizationGrant);
        if (dpop != null && nonceChallenge(response)) {
            response = send(authorizationGrant); // once, with a proof that carries the nonce (RFC 9449 8)
        }
        return read(response, authorizationGrant);
    }

    /** With DPoP: every token request carries a fresh proof signed with this connection's key. */
    TokenEndpointClient withDpop(DpopProofs proofs) {
        this.dpop = proofs;
        return this;
    }

    /** A 400/401 use_dpop_nonce with a DPoP-Nonce header: the nonce is remembered, and the request may go again. */
    private boolean nonceChallenge(HTTPResponse response) {
        String nonce = response.getHeaderValue(DpopProofs.NONCE_HEADER);
        dpop.tokenEndpointNonce(nonce);
        if (nonce == null || (response.getStatusCode() != 400 && response.getStatusCode() != 401)) {
            return false;
        }
        try {
            return DpopProofs.USE_DPOP_NONCE.equals(JSONObjectUtils.parse(response.getBody()).get("error"));
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private HTTPResponse send(AuthorizationGrant authorizationGrant) {
        try {
            HTTPRequest request = buildRequest(authorizationGrant);
            if (dpop != null) {
                request.setHeader(DpopProofs.HEADER, dpop.forTokenRequest(request.getMethod().name(), request.getURI()));
            }
            return request.send(r -> transport.send(r, connection.timeouts().request()));
        } catch (BoundedHttpSender.BodyTooLargeException e) {
            throw new InvalidTokenResponseException(name(), "token response body is larger than 1 MiB; it was not read",
                    e.status);
        } catch (BoundedHttpSender.DeadlineExceededException e) {
            throw new TokenEndpointUnavailableException(name(), "token request did not finish within request-timeout ("
                    + connection.timeouts().request().toMillis() + " ms): the token endpoint answers too slowly", 0, null, e);
        } catch (ConnectTimeoutException e) {
            throw new TokenEndpointUnavailableException(name(), "cannot connect to the token endpoint " + endpoint()
                    + " within connect-timeout (" + connection.timeouts().connect().toMillis() + " ms)", 0, null, e);
        } catch (InterruptedIOException e) {
            throw new TokenEndpointUnavailableException(name(), "token request timed out: no data within read-timeout ("
                    + connection.timeouts().read().toMillis() + " ms)", 0, null, e);
        } catch (ConnectException e) {
            throw new TokenEndpointUnavailableException(name(), "cannot connect to the token endpoint " + endpoint()
                    + ": " + e.getMessage(), 0, null, e);
        } catch (javax.net.ssl.SSLException e) {
            throw new TokenEndpointUnavailableException(name(), "TLS handshake with the token endpoint failed ("
                    + e.getMessage() + "): check tls-trust-store (the server's certificate must chain to one of its CAs)"
                    + " and tls-key-store (the client certificate, when the server requires one)", 0, null, e);
        } catch (IOException e) {
            throw new TokenEndpointUnavailableException(name(), "token request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + closedTlsHint(e), 0, null, e);
        }
    }

    private TokenResponse read(HTTPResponse response, AuthorizationGrant authorizationGrant) {
        Instant receivedAt = clock.instant();
        int status = response.getStatusCode();
        if (status >= 300 && status < 400) {
            throw new InvalidTokenResponseException(name(), "token endpoint answered with a redirect, which is never"
                    + " followed; check token-url " + endpoint(), status);
        }
        if (status == 429 || status == 503) {
            Duration retryAfter = retryAfter(response.getHeaderValue("Retry-After"), receivedAt);
            if (retryAfter != null) {
                throw new TokenEndpointUnavailableException(name(), "token endpoint asks to retry after "
                        + retryAfter.toSeconds() + " s", status, retryAfter, null);
            }
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new TokenEndpointUnavailableException(name(), "token endpoint is unavailable", status, null, null);
        }
        JSONObject json = jsonBody(response, status);
        if (status >= 200 && status < 300) {
            return success(json, status, receivedAt);
        }
        throw error(json, status, authorizationGrant);
    }

    /**
     * With TLS 1.3 a server that wants a client certificate and gets none closes the connection after the handshake:
     * the client sees a reset, a broken pipe or no response, not a TLS error. Say what that usually means.
     */
    private String closedTlsHint(IOException e) {
        boolean https = "https".equalsIgnoreCase(client.tokenUrl().getScheme());
        // depending on timing the close shows as a reset or broken pipe, or as a request without any response
        boolean closed = e instanceof java.net.SocketException
                || e instanceof org.apache.hc.core5.http.NoHttpResponseException;
        if (https && closed && connection.tls().keyStore().isEmpty()) {
            return ": the server closed the TLS connection; if it requires a client certificate (mutual TLS), set"
                    + " tls-key-store";
        }
        return "";
    }

    private HTTPRequest buildRequest(AuthorizationGrant authorizationGrant) {
        TokenRequest.Builder builder = new TokenRequest.Builder(client.tokenUrl(),
                authenticator.forRequest(client.tokenUrl()), authorizationGrant);
        if (!client.scopes().isEmpty()) {
            builder.scope(new Scope(client.scopes().toArray(String[]::new)));
        }
        if (!client.resources().isEmpty()) {
            builder.resources(client.resources().toArray(URI[]::new));
        }
        client.audience().ifPresent(a -> builder.customParameter("audience", a));
        HTTPRequest request = builder.build().toHTTPRequest();
        request.setConnectTimeout((int) connection.timeouts().connect().toMillis());
        request.setReadTimeout((int) connection.timeouts().read().toMillis());
        request.setFollowRedirects(false);
        return request;
    }

    private JSONObject jsonBody(HTTPResponse response, int status) {
        String body = response.getBody();
        if (body == null || body.isBlank()) {
            if (status == 401) {
                throw new InvalidClientException(name(), "token endpoint refused the client credentials; check"
                        + " client-id, client-secret and client-auth", status, null);
            }
            throw new InvalidTokenResponseException(name(), "token endpoint answered with an empty body", status);
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            String type = knownMediaType(response.getHeaderValue("Content-Type"));
            throw new InvalidTokenResponseException(name(), "token endpoint answered with a body that is not a JSON object"
                    + (type == null ? "" : " (Content-Type " + type + ")") + "; check token-url " + endpoint(), status);
        }
    }

    /** The media type when it is a common one; a header is server text too, so anything else is not repeated. */
    private static String knownMediaType(String header) {
        if (header == null) {
            return null;
        }
        String type = header.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return KNOWN_MEDIA_TYPES.contains(type) ? type : null;
    }

    private TokenResponse success(JSONObject json, int status, Instant receivedAt) {
        Object type = json.get("token_type");
        if (!(json.get("access_token") instanceof String value) || value.isBlank()) {
            throw new InvalidTokenResponseException(name(), "token response has no access_token", status);
        }
        if (!VISIBLE_ASCII.matcher(value).matches()) {
            // RFC 6749 A.12: VSCHAR only. Anything else (a line break above all) cannot go into an HTTP header.
            throw new InvalidTokenResponseException(name(), "token response has an access_token with characters that"
                    + " an HTTP header cannot carry", status);
        }
        if (!(type instanceof String tokenType) || tokenType.isBlank()) {
            throw new InvalidTokenResponseException(name(), "token response has no token_type", status);
        }
        if (tokenType.equalsIgnoreCase("DPoP") && dpop == null) {
            throw new InvalidTokenResponseException(name(), "token endpoint issued a DPoP-bound token, but DPoP is not"
                    + " configured for this connection", status);
        }
        if (!tokenType.equalsIgnoreCase("Bearer") && !tokenType.equalsIgnoreCase("DPoP")) {
            throw new InvalidTokenResponseException(name(), "token_type '" + abbreviate(tokenType)
                    + "' is not supported (only Bearer" + (dpop == null ? "" : " and DPoP") + ")", status);
        }
        // RFC 6749 says "case insensitive"; Nimbus wants the canonical spelling.
        // A DPoP token keeps the canonical spelling, which the API call checks; a Bearer one keeps the server's.
        tokenType = tokenType.equalsIgnoreCase("DPoP") ? "DPoP" : tokenType;
        json.put("token_type", tokenType.equals("DPoP") ? "DPoP" : "Bearer");
        Duration lifetime = lifetime(json.get("expires_in"), status);
        json.remove("expires_in");
        AccessToken accessToken;
        RefreshToken refreshToken;
        try {
            Tokens tokens = AccessTokenResponse.parse(json).getTokens();
            accessToken = tokens.getAccessToken();
            refreshToken = tokens.getRefreshToken();
        } catch (ParseException e) {
            throw new InvalidTokenResponseException(name(), "token response is malformed: " + abbreviate(e.getMessage()), status);
        } catch (RuntimeException e) {
            // Nimbus throws IllegalArgumentException for some values it cannot hold (a scope of only a line break).
            throw new InvalidTokenResponseException(name(), "token response is malformed: a field has a value that"
                    + " cannot be used (" + e.getClass().getSimpleName() + ")", status);
        }
        List<String> scopes = accessToken.getScope() != null ? accessToken.getScope().toStringList() : client.scopes();
        Token token = Token.of(accessToken.getValue(), tokenType, receivedAt, receivedAt.plus(lifetime), scopes);
        return new TokenResponse(token, Optional.ofNullable(refreshToken).map(RefreshToken::getValue)
                .filter(v -> !v.isBlank()));
    }

    /**
     * expires_in as a JSON number or a numeric string, of any size: missing means default-expires-in; more than
     * max-expires-in (however large, even beyond a long) means max-expires-in; a fraction of a second is rounded
     * down; below one second (0, negative, however large) means "use once, do not cache". Compared as BigDecimal,
     * because Number.longValue() of a huge BigInteger wraps around.
     */
    private Duration lifetime(Object expiresIn, int status) {
        var timing = connection.timing();
        if (expiresIn == null) {
            return timing.defaultExpiresIn();
        }
        BigDecimal seconds = decimal(expiresIn);
        if (seconds == null) {
            throw new InvalidTokenResponseException(name(), "token response has an expires_in that is not a number", status);
        }
        Duration max = timing.maxExpiresIn();
        if (seconds.compareTo(BigDecimal.valueOf(max.getSeconds())) >= 0) {
            return max;
        }
        if (seconds.compareTo(BigDecimal.ONE) < 0) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(seconds.longValue()); // between 1 and max: fits, and longValue() rounds down
    }

    /** A JSON number or numeric string as a BigDecimal; null when it is neither (or NaN). */
    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof java.math.BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                return null;
            }
            return Double.isInfinite(d) ? BigDecimal.valueOf(d > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : BigDecimal.valueOf(d);
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        if (value instanceof String s && DECIMAL.matcher(s.trim()).matches()) {
            return new BigDecimal(s.trim());
        }
        return null;
    }

    private OAuthTokenException error(JSONObject json, int status, AuthorizationGrant sent) {
        ErrorObject error;
        try {
            error = TokenErrorResponse.parse(json).getErrorObject();
        } catch (ParseException e) {
            error = null;
        }
        String code = error == null ? null : error.getCode();
        String description = error == null || error.getDescription() == null ? ""
                : ": " + abbreviate(withoutRefreshToken(error.getDescription(), sent));
        if ("invalid_grant".equals(code)) {
            return new InvalidGrantException(name(), "token endpoint refused the grant" + description
                    + " (expired, revoked or already used)", status);
        }
        if ((code != null && CLIENT_ERRORS.contains(code)) || (code == null && status == 401)) {
            return new InvalidClientException(name(), "token endpoint rejected the client" + description
                    + "; check client-id, client-secret and client-auth", status, code);
        }
        return new TokenRequestRejectedException(name(), "token endpoint refused the request" + description
                + (code != null && code.equals("invalid_scope") ? "; check scopes" : ""), status, code);
    }

    /**
     * Retry-After as delay-seconds or an HTTP-date; null when absent or unreadable. Negative and past values are zero
     * (the guard then counts the failure like any other); values too large for arithmetic are read as
     * {@link #MAX_RETRY_AFTER_SECONDS}: the guard caps every wait at max-retry-after anyway.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        if (DELAY_SECONDS.matcher(v).matches()) {
            if (v.startsWith("-")) {
                return Duration.ZERO;
            }
            String digits = v.replaceFirst("^\\+?0*", "");
            if (digits.isEmpty()) {
                return Duration.ZERO;
            }
            return Duration.ofSeconds(digits.length() > 13 ? MAX_RETRY_AFTER_SECONDS
                    : Math.min(MAX_RETRY_AFTER_SECONDS, Long.parseLong(digits)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            if (!at.isAfter(now)) {
                return Duration.ZERO;
            }
            Duration wait = Duration.between(now, at);
            return wait.getSeconds() > MAX_RETRY_AFTER_SECONDS ? Duration.ofSeconds(MAX_RETRY_AFTER_SECONDS) : wait;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** A server may echo the refresh token it refuses: never repeat it. */
    private static String withoutRefreshToken(String text, AuthorizationGrant sent) {
        if (sent instanceof com.nimbusds.oauth2.sdk.RefreshTokenGrant r) {
            return text.replace(r.getRefreshToken().getValue(), "******");
        }
        if (sent instanceof com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant x) {
            return text.replace(x.getSubjectToken().getValue(), "******"); // exchange: nor the subject token
        }
        return text;
    }

    /** Server text may echo what we sent: shorten it, drop control characters and never repeat the secret. */
    private String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        String secret = client.clientSecret().map(com.cameloauth.connection.Secret::reveal).orElse(null);
        if (secret != null && !secret.isEmpty()) {
            clean = clean.replace(secret, "******");
        }
        String reloaded = authenticator.reloadedSecret().map(com.cameloauth.connection.Secret::reveal).orElse(null);
        if (reloaded != null && !reloaded.isEmpty()) {
            clean = clean.replace(reloaded, "******");
        }
        return clean.length() > MAX_DESCRIPTION ? clean.substring(0, MAX_DESCRIPTION) + "..." : clean;
    }

    private String endpoint() {
        URI u = client.tokenUrl();
        return u.getScheme() + "://" + u.getAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    private String name() {
        return connection.name();
    }
}
