package com.cameloauth.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenEventListener;

/**
 * Writes every token lifecycle event as one JSON line to the logger {@code com.cameloauth.audit}, so that the audit
 * trail can be routed to its own file or collector with ordinary logging configuration. Lines carry token
 * fingerprints, never tokens or secrets.
 */
public final class AuditLog implements TokenEventListener {
    /** The logger that receives the audit lines. */
    public static final String LOGGER = "com.cameloauth.audit";

    private final Logger log;

    public AuditLog() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    AuditLog(Logger log) {
        this.log = log;
    }

    @Override
    public void onEvent(TokenEvent event) {
        if (log.isInfoEnabled()) {
            log.info(toJson(event));
        }
    }

    /**
     * The event as one line of JSON: {"at":..,"connection":..,"event":..,"fingerprint":..,"detail":..,"grant":..,
     * "duration_ms":..,"error_code":..}; absent fields are left out.
     */
    public static String toJson(TokenEvent event) {
        StringBuilder sb = new StringBuilder(160).append('{');
        field(sb, "at", event.at().toString()).append(',');
        field(sb, "connection", event.connection()).append(',');
        field(sb, "event", event.type().name());
        if (event.fingerprint() != null) {
            field(sb.append(','), "fingerprint", event.fingerprint());
        }
        if (event.detail() != null) {
            field(sb.append(','), "detail", event.detail());
        }
        if (event.grant() != null) {
            field(sb.append(','), "grant", event.grant());
        }
        if (event.duration() != null) {
            sb.append(",\"duration_ms\":").append(event.duration().toMillis());
        }
        if (event.errorCode() != null) {
            field(sb.append(','), "error_code", event.errorCode());
        }
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
