package com.cameloauth.quarkus.manage;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Login CSRF: the form login's POST ({@code quarkus.http.auth.form.post-location}, {@code /j_security_check}) signs a
 * browser in, so a page of another site could sign a victim in as the attacker. Before authentication runs, a login
 * POST must carry an {@code Origin} (or, without one, a {@code Referer}) of this very host, as {@link ManagementGuard}
 * requires of every state-changing management call; otherwise 403 and no session cookie.
 */
@Singleton
public class LoginOriginGuard {
    private final String postLocation;

    LoginOriginGuard(@ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check")
            String postLocation) {
        this.postLocation = postLocation;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, SecurityHandlerPriorities.CORS + 100);
    }

    void filter(RoutingContext rc) {
        if (rc.request().method() == HttpMethod.POST && postLocation.equals(rc.normalizedPath())
                && !ManagementGuard.sameOrigin(rc)) {
            ManagementGuard.forbid(rc, "cross_site_request", "sign in from this site's own login page (Origin or Referer)");
            return;
        }
        rc.next();
    }
}
