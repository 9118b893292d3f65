package com.cameloauth.noleak;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for secrets in collected texts. A secret is found when its whole value appears, or, for a value marked
 * {@code unique} (tokens, random secrets), any {@value #WINDOW}-character piece of it, so a token cut in two, wrapped or
 * shortened in a message is still found; for a JWT the signature alone is also enough. Configured secrets that
 * share words with client ids ({@code orders-service-secret}) are matched whole only.
 *
 * <p>A finding names the text, the position and the secret's label, never the secret's value.
 */
final class LeakScanner {
    static final int WINDOW = 12;

    private final Map<String, String> labelsByValue = new LinkedHashMap<>();
    private final Map<String, String> labelsByPiece = new HashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /** A secret whose whole value must not appear. */
    LeakScanner secret(String label, String value) {
        if (value != null && !value.isEmpty()) {
            labelsByValue.putIfAbsent(value, label);
        }
        return this;
    }

    /** A token or random secret: neither it nor any piece of {@value #WINDOW} characters may appear. */
    LeakScanner unique(String label, String value) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        secret(label, value);
        String[] jwt = value.split("\\.");
        if (jwt.length == 3 && jwt[0].startsWith("eyJ")) { // a JWT; not a dotted opaque value (Keycloak's codes)
            // the header is the same for every token of a key: its pieces alone would match another token's header
            secret(label + " (JWT signature)", jwt[2]);
            addPieces(label + " (JWT payload)", jwt[1]);
            addPieces(label + " (JWT signature)", jwt[2]);
        } else {
            addPieces(label, value);
        }
        return this;
    }

    private void addPieces(String label, String value) {
        for (int i = 0; i + WINDOW <= value.length(); i++) {
            labelsByPiece.putIfAbsent(value.substring(i, i + WINDOW), label);
        }
    }

    /** A collected text, named by where it came from. */
    LeakScanner text(String where, String text) {
        texts.merge(where, text == null ? "" : text, (a, b) -> a + '\n' + b);
        return this;
    }

    int secrets() {
        return labelsByValue.size();
    }

    Map<String, String> texts() {
        return texts;
    }

    /** Every finding: where, at which offset, which secret (by label). Empty when nothing leaked. */
    List<String> findings() {
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, String> text : texts.entrySet()) {
            String body = text.getValue();
            for (Map.Entry<String, String> secret : labelsByValue.entrySet()) {
                int at = body.indexOf(secret.getKey());
                if (at >= 0) {
                    findings.add(text.getKey() + " @" + at + ": " + secret.getValue());
                }
            }
            for (int i = 0; i + WINDOW <= body.length(); i++) {
                String label = labelsByPiece.get(body.substring(i, i + WINDOW));
                if (label != null) {
                    findings.add(text.getKey() + " @" + i + ": a " + WINDOW + "-character piece of " + label);
                    i += WINDOW - 1;
                }
            }
        }
        return findings;
    }
}
