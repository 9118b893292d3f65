package com.cameloauth.manage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenManager;

/**
 * The Test button: runs a connection's token flow now and reports what happened, with the fields of the
 * {@code oauth:} component's {@code operation=test} report ({@code result} OK/FAILED, {@code state},
 * {@code fingerprint}, {@code expiresAt}, {@code scopes}, or {@code error}, {@code errorCode}, {@code httpStatus}).
 * Never a token; never throws for a token failure.
 */
public final class ConnectionTester {
    private final OAuthConnections connections;

    public ConnectionTester(OAuthConnections connections) {
        this.connections = connections;
    }

    /** Gets a new token now and reports it. */
    public Map<String, Object> test(ConnectionDefinition definition) {
        return run(definition, "static credentials: nothing to obtain; a call to the API tests them");
    }

    Map<String, Object> run(ConnectionDefinition definition, String staticDetail) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("connection", definition.name());
        report.put("policy", ConnectionRegistry.policyName(definition));
        Optional<TokenManager> manager = connections.tokenManager(definition.name());
        var perSubject = connections.subjectTokenExchange(definition.name());
        if (perSubject.isPresent()) {
            report.put("result", "NOT_APPLICABLE");
            report.put("state", com.cameloauth.token.SubjectTokenExchange.STATE);
            report.put("detail", perSubject.get().noSharedTokenReason());
            return report;
        }
        if (manager.isEmpty()) {
            report.put("result", "OK");
            report.put("state", ConnectionRegistry.STATIC);
            report.put("detail", staticDetail);
            return report;
        }
        try {
            Token token = manager.get().refresh();
            report.put("result", "OK");
            report.put("state", manager.get().state().name());
            report.put("fingerprint", token.fingerprint());
            report.put("expiresAt", token.expiresAt().toString());
            report.put("scopes", token.scopes());
        } catch (OAuthTokenException e) {
            report.put("result", "FAILED");
            report.put("state", manager.get().state().name());
            report.put("error", SafeText.of(e.getMessage()));
            e.errorCode().ifPresent(code -> report.put("errorCode", code));
            if (e.httpStatus() > 0) {
                report.put("httpStatus", e.httpStatus());
            }
        }
        return report;
    }
}
