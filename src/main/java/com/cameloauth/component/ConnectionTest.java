package com.cameloauth.component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.cameloauth.connection.ConnectionDefinition;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.OAuthTokenException;
import com.cameloauth.token.SubjectTokenExchange;
import com.cameloauth.token.Token;
import com.cameloauth.token.TokenManager;

/**
 * {@code operation=test}: runs the connection's token flow now and reports what happened, never a token. The new token
 * replaces the cached one only once it has arrived: a failed Test leaves the connection as it was, and callers keep
 * being served the valid token meanwhile.
 */
final class ConnectionTest {
    private ConnectionTest() {
    }

    static Map<String, Object> run(OAuthConnections connections, ConnectionDefinition definition) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("connection", definition.name());
        report.put("policy", definition.policy().value());
        Optional<TokenManager> manager = connections.tokenManager(definition.name());
        Optional<SubjectTokenExchange> perSubject = connections.subjectTokenExchange(definition.name());
        if (perSubject.isPresent()) {
            report.put("result", "NOT_APPLICABLE");
            report.put("state", SubjectTokenExchange.STATE);
            report.put("detail", perSubject.get().noSharedTokenReason());
            return report;
        }
        if (manager.isEmpty()) {
            report.put("result", "OK");
            report.put("state", "STATIC");
            report.put("detail", "static credentials: nothing to obtain; a call to the API tests them");
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
            report.put("error", e.getMessage());
            e.errorCode().ifPresent(code -> report.put("errorCode", code));
            if (e.httpStatus() > 0) {
                report.put("httpStatus", e.httpStatus());
            }
        }
        return report;
    }
}
