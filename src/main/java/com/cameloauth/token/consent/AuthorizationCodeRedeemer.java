package com.cameloauth.token.consent;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.cameloauth.connection.ClientAuthMethod;
import com.cameloauth.connection.Secret;
import com.cameloauth.token.InvalidClientException;
import com.cameloauth.token.InvalidTokenResponseException;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEndpointUnavailableException;
import com.cameloauth.token.TokenRequestRejectedException;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import net.minidev.json.JSONObject;

/**
 * Redeems a {@link CompletedAuthorization} at the token endpoint, once: the authorization code grant with the PKCE
 * verifier, client authentication none (public client: {@code client_id} in the form) or the client secret (basic or
 * post). Redirects are never followed, the body is capped at 1 MiB, and the request has a timeout. Errors are the
 * engine's typed exceptions; a message never holds the code, the verifier, the secret or a token.
 *
 * <p>Sends with the JDK client for now; wired into the engine it goes through the engine's bounded sender.
 */
public final class AuthorizationCodeRedeemer {
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Set<String> CLIENT_ERRORS = Set.of("invalid_client", "unauthorized_client");

    private final Clock clock;
    private final Duration timeout;
    private final Duration defaultLifetime;
    private final HttpClient http;

    /** A 10 s timeout; a token without {@code expires_in} is believed for 5 min. */
    public AuthorizationCodeRedeemer(Clock clock) {
        this(clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    public AuthorizationCodeRedeemer(Clock clock, Duration timeout, Duration defaultLifetime) {
        this.clock = clock;
        this.timeout = timeout;
        this.defaultLifetime = defaultLifetime;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    public ConsentTokens redeem(CompletedAuthorization authorization) {
        ConsentClient client = authorization.client();
        HTTPRequest request = tokenRequest(client, authorization).toHTTPRequest();
        HttpRequest.Builder jdk = HttpRequest.newBuilder(request.getURI()).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(request.getBody()));
        request.getHeaderMap().forEach((name, values) -> values.forEach(v -> jdk.header(name, v)));
        int status;
        byte[] body;
        try {
            HttpResponse<InputStream> response = http.send(jdk.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
        } catch (IOException e) {
            throw new TokenEndpointUnavailableException(client.connection(), "the code could not be redeemed: "
                    + e.getClass().getSimpleName() + "; start the consent again", 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenEndpointUnavailableException(client.connection(), "interrupted while redeeming the code",
                    0, null, e);
        }
        Instant receivedAt = clock.instant();
        if (status >= 300 && status < 400) {
            throw new InvalidTokenResponseException(client.connection(), "token endpoint answered with a redirect,"
                    + " which is never followed; check token-url", status);
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new TokenEndpointUnavailableException(client.connection(), "token endpoint is unavailable; start"
                    + " the consent again", status, null, null);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new InvalidTokenResponseException(client.connection(), "token response body is larger than 1 MiB",
                    status);
        }
        JSONObject json;
        try {
            json = JSONObjectUtils.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new InvalidTokenResponseException(client.connection(), "token endpoint answered with a body that"
                    + " is not a JSON object; check token-url", status);
        }
        if (status >= 200 && status < 300) {
            return success(client, json, status, receivedAt);
        }
        throw error(authorization, json, status);
    }

    private static TokenRequest tokenRequest(ConsentClient client, CompletedAuthorization authorization) {
        if (!client.isConfidential()) {
            return new TokenRequest(client.tokenUrl(), new ClientID(client.clientId()), authorization.grant());
        }
        ClientID id = new ClientID(client.clientId());
        var secret = new com.nimbusds.oauth2.sdk.auth.Secret(client.clientSecret().get().reveal());
        ClientAuthentication auth = client.clientAuth() == ClientAuthMethod.CLIENT_SECRET_POST
                ? new ClientSecretPost(id, secret) : new ClientSecretBasic(id, secret);
        return new TokenRequest(client.tokenUrl(), auth, authorization.grant());
    }

    private ConsentTokens success(ConsentClient client, JSONObject json, int status, Instant receivedAt) {
        String connection = client.connection();
        if (!(json.get("access_token") instanceof String value) || value.isBlank()) {
            throw new InvalidTokenResponseException(connection, "token response has no access_token", status);
        }
        if (!(json.get("token_type") instanceof String type) || !type.equalsIgnoreCase("Bearer")) {
            throw new InvalidTokenResponseException(connection, "token response has no Bearer token_type", status);
        }
        json.put("token_type", "Bearer"); // RFC 6749: case-insensitive; Nimbus wants the canonical spelling
        Duration lifetime = lifetime(json.remove("expires_in"), connection, status);
        AccessToken accessToken;
        RefreshToken refreshToken;
        try {
            var tokens = AccessTokenResponse.parse(json).getTokens();
            accessToken = tokens.getAccessToken();
            refreshToken = tokens.getRefreshToken();
        } catch (ParseException e) {
            throw new InvalidTokenResponseException(connection, "token response is malformed", status);
        }
        List<String> scopes = accessToken.getScope() != null ? accessToken.getScope().toStringList() : client.scopes();
        Token token = Token.of(accessToken.getValue(), type, receivedAt, receivedAt.plus(lifetime), scopes);
        return new ConsentTokens(token, Optional.ofNullable(refreshToken).map(r -> Secret.of(r.getValue())));
    }

    private Duration lifetime(Object expiresIn, String connection, int status) {
        if (expiresIn == null) {
            return defaultLifetime;
        }
        String text = expiresIn.toString().trim();
        if (!text.matches("-?\\d{1,18}")) {
            throw new InvalidTokenResponseException(connection, "token response has an expires_in that is not a"
                    + " number", status);
        }
        long seconds = Long.parseLong(text);
        return seconds <= 0 ? Duration.ZERO : Duration.ofSeconds(seconds);
    }

    private static OAuthTokenException error(CompletedAuthorization authorization, JSONObject json, int status) {
        String connection = authorization.connection();
        ErrorObject error;
        try {
            error = TokenErrorResponse.parse(json).getErrorObject();
        } catch (ParseException e) {
            error = null;
        }
        String code = error == null ? null : CallbackText.code(error.getCode());
        String description = error == null || error.getDescription() == null ? ""
                : " (" + masked(authorization, CallbackText.clean(error.getDescription())) + ")";
        if ((code != null && CLIENT_ERRORS.contains(code)) || (code == null && status == 401)) {
            return new InvalidClientException(connection, "token endpoint rejected the client" + description
                    + "; check client-id, client-secret and client-auth", status, code);
        }
        return new TokenRequestRejectedException(connection, "token endpoint refused the authorization code"
                + description + ("invalid_grant".equals(code) ? "; the code expired, was used already, or does not"
                        + " match the redirect URI or verifier: start the consent again" : ""), status, code);
    }

    /** The server may echo what we sent: never repeat the code, the verifier or the secret. */
    private static String masked(CompletedAuthorization authorization, String text) {
        String out = text.replace(authorization.code().getValue(), "******")
                .replace(authorization.verifier().getValue(), "******");
        Optional<Secret> secret = authorization.client().clientSecret();
        return secret.isPresent() && !secret.get().reveal().isEmpty() ? out.replace(secret.get().reveal(), "******") : out;
    }
}
