package com.cameloauth.manage;

import java.util.regex.Pattern;

/**
 * Makes a message safe to show an operator: user info in URLs masked ({@code https://***@host}), query strings
 * dropped (they may carry codes or keys), control characters removed, length capped. Messages of the token engine
 * already carry no secret; this is the second belt.
 */
public final class SafeText {
    /** Longest message shown. */
    public static final int MAX_LENGTH = 300;

    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@?#]*@");
    private static final Pattern QUERY = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s?#]*)\\?[^\\s#'\"]*");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private SafeText() {
    }

    public static String of(String message) {
        if (message == null) {
            return null;
        }
        String s = USER_INFO.matcher(message).replaceAll("$1***@");
        s = QUERY.matcher(s).replaceAll("$1?***");
        s = CONTROL.matcher(s).replaceAll(" ");
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH - 1) + "\u2026" : s;
    }
}
