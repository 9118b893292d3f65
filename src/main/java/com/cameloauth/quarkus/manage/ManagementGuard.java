package com.cameloauth.quarkus.manage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before authentication on every request under {@code /oauth/api} and {@code /oauth/ui}:
 * <ul>
 * <li>turns the form login's redirect into a 401 with a Basic challenge on the API;</li>
 * <li>answers 404 unless {@code oauth-management.enabled} is true (the default only in dev and test), so a production
 * build shows neither the API nor the page until an operator turns them on and configures authentication;</li>
 * <li>on a state-changing request, requires an {@code Origin} (or, without one, a {@code Referer}) of this very host,
 * else 403;</li>
 * <li>and a CSRF token: the {@value #CSRF_HEADER} header must equal the {@value #CSRF_COOKIE} cookie (double submit),
 * else 403. The cookie is set on the first GET, {@code SameSite=Strict}; the page's script reads it (it must, to
 * echo it), a page of another site cannot.</li>
 * </ul>
 * Quarkus REST's CSRF filter (quarkus-rest-csrf) was not used: it applies to every POST of the application, which
 * would reject the demo authorization server's token requests.
 */
@Singleton
public class ManagementGuard {
    public static final String ROLE = "oauth-admin";
    public static final String CSRF_COOKIE = "oauth-csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final boolean enabled;
    private final SecureRandom random = new SecureRandom();

    ManagementGuard(@ConfigProperty(name = "oauth-management.enabled", defaultValue = "false") boolean enabled) {
        this.enabled = enabled;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, SecurityHandlerPriorities.CORS + 100);
    }

    void filter(RoutingContext rc) {
        String path = rc.normalizedPath();
        boolean api = path.equals("/oauth/api") || path.startsWith("/oauth/api/");
        boolean ui = path.equals("/oauth/ui") || path.startsWith("/oauth/ui/");
        if (!api && !ui) {
            rc.next();
            return;
        }
        if (!enabled) {
            rc.response().setStatusCode(404).end();
            return;
        }
        if (api) {
            // A script or curl needs a 401, not the form login's redirect to an HTML page.
            rc.addHeadersEndHandler(v -> {
                if (rc.response().getStatusCode() == 302) {
                    rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"oauth-management\"");
                    rc.response().headers().remove(HttpHeaders.LOCATION);
                }
            });
        }
        rc.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "same-origin")
                .putHeader("X-Frame-Options", "DENY");
        String method = rc.request().method().name();
        if (SAFE_METHODS.contains(method)) {
            if (rc.request().getCookie(CSRF_COOKIE) == null) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                rc.response().addCookie(Cookie.cookie(CSRF_COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
                        .setPath("/oauth").setSameSite(CookieSameSite.STRICT).setSecure(rc.request().isSSL()));
            }
            rc.next();
            return;
        }
        if (!sameOrigin(rc)) {
            forbid(rc, "cross_site_request", "a state-changing request must come from this site's own page (Origin or Referer)");
            return;
        }
        if (!csrfTokenMatches(rc)) {
            forbid(rc, "csrf_token_missing_or_wrong", "send the " + CSRF_COOKIE + " cookie's value in the " + CSRF_HEADER + " header");
            return;
        }
        rc.next();
    }

    /** Whether the request's Origin (or, without one, Referer) is this host: scheme, host and port. */
    static boolean sameOrigin(RoutingContext rc) {
        String host = rc.request().getHeader(HttpHeaders.HOST);
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        String source = origin != null ? origin : rc.request().getHeader(HttpHeaders.REFERER);
        if (host == null || source == null || source.equals("null")) {
            return false;
        }
        try {
            URI uri = URI.create(source);
            String scheme = rc.request().isSSL() ? "https" : "http";
            if (uri.getHost() == null || !scheme.equalsIgnoreCase(uri.getScheme())) {
                return false;
            }
            return authority(uri.getHost(), uri.getPort(), scheme).equals(hostHeader(host, scheme));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String hostHeader(String host, String scheme) {
        URI uri = URI.create(scheme + "://" + host);
        return authority(uri.getHost(), uri.getPort(), scheme);
    }

    private static String authority(String host, int port, String scheme) {
        int effective = port >= 0 ? port : "https".equals(scheme) ? 443 : 80;
        return host.toLowerCase(Locale.ROOT) + ':' + effective;
    }

    private static boolean csrfTokenMatches(RoutingContext rc) {
        Cookie cookie = rc.request().getCookie(CSRF_COOKIE);
        String header = rc.request().getHeader(CSRF_HEADER);
        if (cookie == null || header == null || cookie.getValue().length() < 32) {
            return false;
        }
        return MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    static void forbid(RoutingContext rc, String error, String message) {
        rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
    }
}
