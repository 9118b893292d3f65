package com.cameloauth.quarkus.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * {@code POST /demo/oauth/token}: a small token endpoint for the demo: client credentials (RFC 6749 4.4) for the
 * orders and shipping clients; authorization code with PKCE S256 (RFC 6749 4.1.3, RFC 7636) and refresh token (6, with
 * rotation) for the my-orders client, whose users consent on {@link DemoConsentPage}. Clients authenticate with
 * client_secret_basic or client_secret_post; tokens are random and opaque and live {@code demo.token-lifetime}
 * (20 s), so the log shows refreshes soon. Dev and test builds only.
 */
@Path("/demo/oauth/token")
@IfBuildProfile(anyOf = { "dev", "test" })
public class DemoAuthorizationServer {

    @Inject
    DemoTokens tokens;

    @Inject
    DemoStats stats;

    @Inject
    DemoGrants grants;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @FormParam("grant_type") String grantType, @FormParam("scope") String scope,
            @FormParam("client_id") String formClientId, @FormParam("client_secret") String formClientSecret,
            @FormParam("code") String code, @FormParam("redirect_uri") String redirectUri,
            @FormParam("code_verifier") String codeVerifier, @FormParam("refresh_token") String refreshToken) {
        stats.tokenRequested(grantType);
        String[] basic = basicCredentials(authorization);
        String clientId = basic != null ? basic[0] : formClientId;
        String secret = basic != null ? basic[1] : formClientSecret;
        Optional<DemoTokens.Client> client = tokens.authenticate(clientId, secret);
        if (client.isEmpty()) {
            stats.tokenRequestRejected();
            return error(Response.Status.UNAUTHORIZED, "invalid_client", "unknown client or wrong secret");
        }
        if (DemoTokens.AUTHORIZATION_CODE.equals(client.get().grant())) {
            return userGrant(client.get(), grantType, code, redirectUri, codeVerifier, refreshToken, scope);
        }
        if (!DemoTokens.CLIENT_CREDENTIALS.equals(grantType)) {
            stats.tokenRequestRejected();
            return error(Response.Status.BAD_REQUEST, "unauthorized_client", "this client may use client_credentials only");
        }
        Optional<Set<String>> scopes = DemoTokens.grantable(client.get(), scope);
        if (scopes.isEmpty()) {
            stats.tokenRequestRejected();
            return error(Response.Status.BAD_REQUEST, "invalid_scope", "scope not allowed for this client");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issue(client.get(), scopes.get()));
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("scope", String.join(" ", scopes.get()));
        return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    /** The my-orders client: authorization_code or refresh_token. */
    private Response userGrant(DemoTokens.Client client, String grantType, String code, String redirectUri,
            String codeVerifier, String refreshToken, String scope) {
        Object result;
        if (DemoTokens.AUTHORIZATION_CODE.equals(grantType)) {
            result = grants.redeemCode(client, code, redirectUri, codeVerifier);
        } else if ("refresh_token".equals(grantType)) {
            result = grants.refresh(client, refreshToken, scope);
        } else {
            result = new DemoGrants.Refusal("unauthorized_client", "this client may use authorization_code and refresh_token only");
        }
        if (result instanceof DemoGrants.Refusal refusal) {
            stats.tokenRequestRejected();
            return error(Response.Status.BAD_REQUEST, refusal.error(), refusal.description());
        }
        return Response.ok(result).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    private static Response error(Response.Status status, String code, String description) {
        Response.ResponseBuilder r = Response.status(status).entity(Map.of("error", code, "error_description", description))
                .type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store");
        return status == Response.Status.UNAUTHORIZED ? r.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"demo\"").build()
                : r.build();
    }

    /** client_secret_basic: {@code Basic base64(urlencoded id ":" urlencoded secret)}; null when absent or malformed. */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] { URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8) };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
