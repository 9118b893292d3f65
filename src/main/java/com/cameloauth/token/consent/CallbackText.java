package com.cameloauth.token.consent;

/** Text from a callback query, made safe to repeat in a message: short, printable ASCII, no markup or quotes. */
final class CallbackText {
    private static final int MAX = 200;

    private CallbackText() {
    }

    /** An OAuth error code reduced to {@code [A-Za-z0-9._-]}; null stays null. */
    static String code(String code) {
        if (code == null) {
            return null;
        }
        String clean = code.replaceAll("[^A-Za-z0-9._-]", "_");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    /** Free text (a description, an issuer) reduced to printable ASCII without {@code < > & " ' \}; null stays null. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        String clean = text.replaceAll("[^\\x20-\\x7E]|[<>&\"'\\\\]", " ").strip();
        return clean.length() > MAX ? clean.substring(0, MAX) + "..." : clean;
    }
}
