package com.cameloauth.quarkus.demo;

import static com.cameloauth.quarkus.consent.Html.escape;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;

import com.cameloauth.quarkus.consent.Html;

/**
 * {@code /demo/oauth/authorize}: the demo authorization server's sign-in and consent page (RFC 6749 4.1.1). A demo
 * user (ada / ada-demo, grace / grace-demo) signs in and approves or denies; the browser is then sent to the client's
 * redirect URI with {@code code} (or {@code error=access_denied}), {@code state} and {@code iss} (RFC 9207).
 * <ul>
 * <li>An unknown client or a redirect URI that is not exactly the registered one gets an error page, never a redirect
 * (RFC 6749 4.1.2.1: no open redirect).</li>
 * <li>PKCE is required: {@code code_challenge} with {@code code_challenge_method=S256}; the token endpoint checks the
 * verifier ({@link DemoGrants}).</li>
 * <li>The form's POST checks everything again: its hidden fields are the browser's, not ours.</li>
 * </ul>
 * Dev and test builds only.
 */
@Path("/demo/oauth/authorize")
@IfBuildProfile(anyOf = { "dev", "test" })
public class DemoConsentPage {
    private static final String TITLE = "Demo authorization server";

    @Inject
    DemoTokens tokens;

    @Inject
    DemoGrants grants;

    @ConfigProperty(name = "demo.url")
    String issuer;

    /** The authorization request as the client sent it. */
    record AuthorizationRequest(String responseType, String clientId, String redirectUri, String scope, String state,
            String codeChallenge, String codeChallengeMethod) {
    }

    @GET
    public Response show(@QueryParam("response_type") String responseType, @QueryParam("client_id") String clientId,
            @QueryParam("redirect_uri") String redirectUri, @QueryParam("scope") String scope,
            @QueryParam("state") String state, @QueryParam("code_challenge") String codeChallenge,
            @QueryParam("code_challenge_method") String codeChallengeMethod) {
        AuthorizationRequest request = new AuthorizationRequest(responseType, clientId, redirectUri, scope, state,
                codeChallenge, codeChallengeMethod);
        return check(request).orElseGet(() -> form(request, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@FormParam("response_type") String responseType, @FormParam("client_id") String clientId,
            @FormParam("redirect_uri") String redirectUri, @FormParam("scope") String scope,
            @FormParam("state") String state, @FormParam("code_challenge") String codeChallenge,
            @FormParam("code_challenge_method") String codeChallengeMethod, @FormParam("username") String username,
            @FormParam("password") String password, @FormParam("decision") String decision) {
        AuthorizationRequest request = new AuthorizationRequest(responseType, clientId, redirectUri, scope, state,
                codeChallenge, codeChallengeMethod);
        Optional<Response> refused = check(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (!"approve".equals(decision)) {
            return redirect(request, "error", "access_denied", "error_description", "the user denied the request");
        }
        Optional<DemoUsers.User> user = DemoUsers.signIn(username, password);
        if (user.isEmpty()) {
            return form(request, "Wrong user name or password.");
        }
        DemoTokens.Client client = tokens.client(clientId).orElseThrow();
        String code = grants.newCode(client, redirectUri, scopes(client, scope).orElseThrow(), user.get().username(),
                codeChallenge);
        return redirect(request, "code", code);
    }

    /** Empty when the request may be shown; else the error page or the error redirect. */
    private Optional<Response> check(AuthorizationRequest r) {
        Optional<DemoTokens.Client> client = tokens.client(r.clientId());
        if (client.isEmpty() || !DemoTokens.AUTHORIZATION_CODE.equals(client.get().grant())) {
            return Optional.of(errorPage("Unknown client: this demo server knows no authorization-code client of that id."));
        }
        if (r.redirectUri() == null || !r.redirectUri().equals(client.get().redirectUri())) {
            return Optional.of(errorPage("The redirect_uri is not the one registered for this client (it must match"
                    + " exactly), so the browser is not sent there."));
        }
        if (!"code".equals(r.responseType())) {
            return Optional.of(redirect(r, "error", "unsupported_response_type"));
        }
        if (r.codeChallenge() == null || !"S256".equals(r.codeChallengeMethod())
                || !r.codeChallenge().matches("[A-Za-z0-9_-]{43}")) {
            return Optional.of(redirect(r, "error", "invalid_request",
                    "error_description", "PKCE with code_challenge_method=S256 is required"));
        }
        if (scopes(client.get(), r.scope()).isEmpty()) {
            return Optional.of(redirect(r, "error", "invalid_scope"));
        }
        return Optional.empty();
    }

    private static Optional<Set<String>> scopes(DemoTokens.Client client, String scope) {
        return DemoTokens.grantable(client, scope);
    }

    private Response form(AuthorizationRequest r, String problem) {
        StringBuilder body = new StringBuilder("<h1>").append(escape(TITLE)).append("</h1>")
                .append("<p>The application <strong>").append(escape(r.clientId()))
                .append("</strong> asks to act on your behalf with the scopes <code>").append(escape(r.scope()))
                .append("</code>. Sign in to approve.</p>");
        if (problem != null) {
            body.append("<p class=\"bad\" id=\"problem\">").append(escape(problem)).append("</p>");
        }
        body.append("<form method=\"post\" action=\"/demo/oauth/authorize\">");
        Map<String, String> hidden = new LinkedHashMap<>();
        hidden.put("response_type", r.responseType());
        hidden.put("client_id", r.clientId());
        hidden.put("redirect_uri", r.redirectUri());
        hidden.put("scope", r.scope());
        hidden.put("state", r.state());
        hidden.put("code_challenge", r.codeChallenge());
        hidden.put("code_challenge_method", r.codeChallengeMethod());
        hidden.forEach((name, value) -> {
            if (value != null) {
                body.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(value))
                        .append("\">");
            }
        });
        body.append("<label for=\"username\">User name (demo: ada or grace)</label>")
                .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\">")
                .append("<label for=\"password\">Password (demo: ada-demo or grace-demo)</label>")
                .append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">")
                .append("<button type=\"submit\" id=\"approve\" name=\"decision\" value=\"approve\">Sign in and approve</button>")
                .append("<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button></form>");
        return Html.response(200, TITLE, body.toString());
    }

    private static Response errorPage(String message) {
        return Html.response(400, TITLE, "<h1>" + escape(TITLE) + "</h1><p class=\"bad\">" + escape(message) + "</p>");
    }

    /** 303 to the registered redirect URI with the result, the state and the issuer (RFC 9207). */
    private Response redirect(AuthorizationRequest r, String... result) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i + 1 < result.length; i += 2) {
            params.put(result[i], result[i + 1]);
        }
        if (r.state() != null) {
            params.put("state", r.state());
        }
        params.put("iss", issuer);
        StringBuilder url = new StringBuilder(r.redirectUri()).append(r.redirectUri().contains("?") ? '&' : '?');
        params.forEach((k, v) -> url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        url.setLength(url.length() - 1);
        return Response.seeOther(URI.create(url.toString())).header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer").build();
    }
}
