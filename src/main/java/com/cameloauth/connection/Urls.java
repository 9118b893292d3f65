package com.cameloauth.connection;

/** URLs as they may appear in a message: without user info, query or fragment, which may hold credentials. */
final class Urls {
    private Urls() {
    }

    /** {@code https://user:pw@host/path?token=x} as {@code https://host/path}, also when it does not parse as a URI. */
    static String redact(String raw) {
        String v = raw.trim();
        int cut = firstOf(v, '?', '#');
        if (cut >= 0) {
            v = v.substring(0, cut);
        }
        int slashes = v.indexOf("//");
        int start = slashes < 0 ? 0 : slashes + 2;
        int end = v.indexOf('/', start);
        end = end < 0 ? v.length() : end;
        int at = v.lastIndexOf('@', end - 1);
        if (at >= start) {
            v = v.substring(0, start) + v.substring(at + 1);
        }
        return HttpHeaderNames.printable(v);
    }

    private static int firstOf(String v, char a, char b) {
        int i = v.indexOf(a);
        int j = v.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
