package com.cameloauth.quarkus.consent;

import static com.cameloauth.quarkus.consent.Html.escape;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.connection.policy.AuthorizationCodePolicy;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenManager;
import com.cameloauth.token.consent.ConsentException;

/**
 * The consent callback, served at the path of every {@code authorization-code} connection's {@code redirect-uri}
 * (default {@code /oauth/callback}); open to anyone, since the provider sends the user's browser here.
 * <ul>
 * <li>Only the query is read, and only by the engine ({@link OAuthConnections#completeConsent}): it checks the
 * state (single use, expiring), {@code iss} and the code before anything is redeemed. No request header goes anywhere
 * (C13): nothing reaches Camel.</li>
 * <li>A consent started in a browser with {@code GET /oauth/consent/{name}} completes only in that browser
 * ({@link BrowserBinding}).</li>
 * <li>Every refused callback gets a 400 page with the engine's message, HTML-escaped; no token request is made. The
 * pages never show the code, the state or a token (only its fingerprint), are not cached and send no Referer.</li>
 * </ul>
 */
@Singleton
public class ConsentCallback {
    private static final Logger LOG = Logger.getLogger(ConsentCallback.class);
    private static final String TITLE = "OAuth consent";
    private static final String BACK = "<p><a href=\"/oauth/ui/\">Back to the connections page</a></p>";

    private final OAuthConnections connections;
    private final BrowserBinding binding = new BrowserBinding(Clock.systemUTC());

    ConsentCallback(OAuthConnections connections) {
        this.connections = connections;
    }

    @Produces
    @Singleton
    BrowserBinding binding() {
        return binding;
    }

    /** One GET route per distinct callback path; none when no connection takes consent. */
    void routes(@Observes Router router) {
        Set<String> paths = new LinkedHashSet<>();
        connections.names().forEach(n -> connections.definition(n).flatMap(ConsentCallback::redirectUri)
                .map(u -> u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath()).ifPresent(paths::add));
        for (String path : paths) {
            // the code is redeemed with a blocking HTTP call: off the event loop
            router.get(path).blockingHandler(this::callback, false);
        }
    }

    /**
     * Asks every consent connection for a token at start: one with a stored refresh token (file store) becomes ACTIVE,
     * one without shows NEEDS_CONSENT at once rather than IDLE until its first call.
     */
    void probeAtStart(@Observes StartupEvent event) {
        connections.names().stream().filter(connections::takesConsent)
                .forEach(n -> connections.tokenManager(n).ifPresent(TokenManager::probe));
    }

    /** The redirect URI of an authorization-code connection, or of a three-legged custom one. */
    static Optional<URI> redirectUri(ConnectionDefinition definition) {
        if (definition.security() instanceof com.cameloauth.connection.policy.CustomPolicy custom) {
            return custom.consent().map(com.cameloauth.connection.policy.CustomPolicy.Consent::redirectUri);
        }
        return definition.security() instanceof AuthorizationCodePolicy p ? Optional.of(p.redirectUri()) : Optional.empty();
    }

    void callback(RoutingContext rc) {
        String query = rc.request().query();
        String state = BrowserBinding.queryParameter(query, "state").orElse(null);
        BrowserBinding.Check check = binding.check(state, name -> {
            Cookie c = rc.request().getCookie(name);
            return c == null ? null : c.getValue();
        });
        if (check == BrowserBinding.Check.OTHER_BROWSER) {
            LOG.infof("oauth consent callback refused: the consent was started in another browser");
            send(rc, 400, "Consent not completed", "This consent was started in another browser, or at another host"
                    + " name than the callback's. Nothing was redeemed. Start the consent again from the connections page"
                    + " in this browser, opened at the host of the connection's redirect-uri.");
            return;
        }
        URI callback;
        try {
            callback = URI.create("http://callback.invalid/" + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            send(rc, 400, "Consent not completed", "The callback's query is malformed. Nothing was redeemed; start the"
                    + " consent again.");
            return;
        }
        if (check == BrowserBinding.Check.BOUND) {
            rc.response().headers().add("Set-Cookie", BrowserBinding.clearCookie(state,
                    URI.create("http://x" + rc.normalizedPath())));
        }
        try {
            Token token = connections.completeConsent(callback);
            send(rc, 200, "Consent given", "<p class=\"ok\" id=\"outcome\">Consent given. The connection can call its API"
                    + " now, and keeps doing so with its refresh token.</p><p>Token fingerprint <code>"
                    + escape(token.fingerprint()) + "</code>, expires at " + escape(token.expiresAt().toString()) + ".</p>",
                    true);
        } catch (ConsentException e) {
            LOG.infof("oauth consent callback refused: %s", e.getMessage());
            send(rc, 400, "Consent not completed", e.getMessage());
        } catch (OAuthTokenException e) {
            LOG.infof("oauth consent callback: the code was not redeemed: %s", e.getMessage());
            send(rc, 502, "Consent not completed", "The authorization server gave no token for the code: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.infof("oauth consent callback failed: %s", e.getClass().getSimpleName());
            send(rc, 400, "Consent not completed", "The callback could not be completed. Start the consent again.");
        }
    }

    private static void send(RoutingContext rc, int status, String heading, String message) {
        send(rc, status, heading, "<p class=\"bad\" id=\"outcome\">" + escape(message) + "</p>", false);
    }

    private static void send(RoutingContext rc, int status, String heading, String escapedBody, boolean ok) {
        var response = rc.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache")
                .putHeader("Referrer-Policy", "no-referrer").putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY").putHeader("Content-Security-Policy", Html.CSP);
        response.end(Html.page(TITLE + (ok ? ": consent given" : ": not completed"),
                "<h1>" + escape(heading) + "</h1>" + escapedBody + BACK));
    }
}
