package com.cameloauth.component;

import java.util.Map;
import java.util.Optional;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import com.cameloauth.token.ConnectionState;
import com.cameloauth.token.InvalidClientException;
import com.cameloauth.token.InvalidTokenResponseException;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.SubjectTokenExchange;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenEndpointUnavailableException;
import com.cameloauth.token.TokenManager;
import com.cameloauth.token.TokenRequestRejectedException;

/**
 * The readiness of one connection: UP while a token can be had, that is while one is valid (ACTIVE, even if its
 * refresh fails) or the last one was had without error (EXPIRED); DOWN before the first token (IDLE) and while no
 * token can be had (UNAVAILABLE, FAILED). Static-credential connections are always UP, and so is a connection that
 * waits for a user's consent (NEEDS_CONSENT, with that state in its details): the app must stay reachable for it. A
 * token-exchange connection that takes its subject token from each message has no token of its own: UP, PER_SUBJECT.
 * <p>
 * Heals by itself: when no token is valid, the call starts a token request in the background (single-flighted, never
 * while the token endpoint is blocked) and reports at once, so a connection becomes ready after start-up, and again
 * after an outage, without any route asking for a token.
 * <p>
 * Health is often shown without authentication: it reports the state, the RFC 6749 error code and the HTTP status,
 * never a token, nor the server's address or error_description (those are in the log).
 */
final class ConnectionHealthCheck extends AbstractHealthCheck {
    static final String GROUP = "oauth";

    private final OAuthConnections connections;
    private final String connection;

    ConnectionHealthCheck(OAuthConnections connections, String connection) {
        super(GROUP, "oauth-connection-" + connection);
        this.connections = connections;
        this.connection = connection;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("connection", connection);
        connections.definition(connection).ifPresent(d -> builder.detail("policy", d.policy().value()));
        Optional<TokenManager> manager = connections.tokenManager(connection);
        Optional<SubjectTokenExchange> perSubject = connections.subjectTokenExchange(connection);
        if (perSubject.isPresent()) {
            // no shared token whose state could be reported; each message's exchange reports its own failure
            builder.detail("state", SubjectTokenExchange.STATE).detail("cached.subjects", perSubject.get().cachedSubjects())
                    .message(perSubject.get().noSharedTokenReason()).up();
            return;
        }
        if (manager.isEmpty()) {
            builder.detail("state", "STATIC").up();
            return;
        }
        TokenManager m = manager.get();
        ConnectionState state = m.state();
        Optional<Token> valid = m.cachedToken();
        Optional<OAuthTokenException> failure = m.lastFailure();
        boolean checking = valid.isEmpty() && m.probe();
        builder.detail("state", state.name());
        valid.ifPresent(t -> builder.detail("token.expires.at", t.expiresAt().toString()));
        if (checking) {
            builder.detail("token", "checking");
        }
        failure.ifPresent(f -> {
            f.errorCode().map(ConnectionHealthCheck::errorCode).ifPresent(code -> builder.detail("error.code", code));
            if (f.httpStatus() > 0) {
                builder.detail("http.status", f.httpStatus());
            }
        });
        switch (state) {
            case ACTIVE -> {
                failure.ifPresent(f -> {
                    String why = "the current token stays in use; its refresh is failing: " + summary(f);
                    builder.detail("refresh", "failing").detail("failure", why).message(why);
                });
                builder.up();
            }
            case EXPIRED -> builder.up();
            case IDLE -> builder.message(checking ? "no token yet: checking the token endpoint" : "no token yet").down();
            // Waiting for a person, not an outage: a DOWN readiness would take the app out of its load balancer, and
            // with it the consent page and callback that end the wait. Calls fail fast meanwhile; the state says why.
            case NEEDS_CONSENT -> builder.message("waiting for a user's consent (authorization code); calls fail fast"
                    + " until then").up();
            default -> {
                String why = failure.map(ConnectionHealthCheck::summary).orElse("no token can be had");
                builder.detail("failure", why).message(why).down();
            }
        }
    }

    /** What went wrong, in words of our own plus status and error code: nothing the server wrote but its code. */
    static String summary(OAuthTokenException f) {
        String what;
        if (f instanceof InvalidClientException) {
            what = "the token endpoint rejected the client; check client-id, client-secret and client-auth";
        } else if (f instanceof TokenRequestRejectedException) {
            what = "the token endpoint refused the token request";
        } else if (f instanceof InvalidTokenResponseException) {
            what = "the token endpoint's answer is not a usable token";
        } else if (f instanceof TokenEndpointUnavailableException) {
            what = "the token endpoint is unavailable";
        } else {
            what = "the token request failed";
        }
        StringBuilder sb = new StringBuilder(what);
        Optional<String> code = f.errorCode().map(ConnectionHealthCheck::errorCode);
        if (f.httpStatus() > 0 || code.isPresent()) {
            sb.append(" [");
            if (f.httpStatus() > 0) {
                sb.append("HTTP ").append(f.httpStatus());
            }
            code.ifPresent(c -> sb.append(f.httpStatus() > 0 ? ", " : "").append("error=").append(c));
            sb.append(']');
        }
        return sb.append("; details in the log").toString();
    }

    /** RFC 6749 codes are short lower-case words; anything else the server sent is not repeated. */
    private static String errorCode(String code) {
        return code.matches("[a-z0-9_]{1,64}") ? code : "(non-standard)";
    }
}
