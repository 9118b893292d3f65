package com.cameloauth.connection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks single values, recording one problem line per bad key ({@code connection 'orders': key
 * 'token-url': missing (...)}). A key whose placeholder could not be resolved is already reported: it reads as unset
 * and is never used. Every message shows URLs without user info or query, and never a secret value.
 */
final class KeyReader {
    private final String subject;
    private final String propertyPrefix;
    private final List<String> problems;
    private final Map<String, String> unresolved;
    private boolean allowInsecure;

    /**
     * @param subject        what the problem lines start with, e.g. {@code connection 'orders': }, or empty
     * @param propertyPrefix what turns a key into its property name, e.g. {@code oauth.connections.orders.}
     * @param problems       where problem lines go
     * @param unresolved     key to the problem of its unresolved placeholder
     */
    KeyReader(String subject, String propertyPrefix, List<String> problems, Map<String, String> unresolved) {
        this.subject = subject;
        this.propertyPrefix = propertyPrefix;
        this.problems = problems;
        this.unresolved = unresolved;
    }

    /** Whether http:// URLs are accepted (allow-insecure). */
    void allowInsecure(boolean allow) {
        this.allowInsecure = allow;
    }

    boolean allowsInsecure() {
        return allowInsecure;
    }

    int problemCount() {
        return problems.size();
    }

    void reportUnresolved() {
        unresolved.forEach(this::problem);
    }

    void problem(String key, String message) {
        problems.add(subject + "key '" + key + "': " + message);
    }

    /** A required value; null (and one problem) when it is missing. A key with an unresolved placeholder is not "missing". */
    String required(String key, Optional<String> value) {
        return required(key, value, "");
    }

    /** {@link #required(String, Optional)} with a hint after the "set ..." advice. */
    String required(String key, Optional<String> value, String hint) {
        Optional<String> v = nonBlank(key, value);
        if (v.isEmpty()) {
            missing(key, hint);
            return null;
        }
        return v.get();
    }

    /** Reports a missing key, with a hint after the "set ..." advice, unless its placeholder is already reported. */
    void missing(String key, String hint) {
        if (!unresolved.containsKey(key)) {
            problem(key, "missing (set " + propertyPrefix + key + hint + ")");
        }
    }

    Optional<String> nonBlank(String key, Optional<String> value) {
        return value(key, value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The value, unless its placeholder could not be resolved: then it must never be used. */
    Optional<String> value(String key, Optional<String> value) {
        return unresolved.containsKey(key) ? Optional.empty() : value;
    }

    List<String> split(String key, Optional<String> value) {
        return value(key, value).map(v -> List.of(v.trim().split("[\\s,]+"))).orElse(List.of()).stream()
                .filter(s -> !s.isEmpty()).toList();
    }

    /** An http(s) URL; http only with allow-insecure. Null (and one problem) when it is bad, or missing and required. */
    URI url(String key, Optional<String> value, boolean required) {
        String v = required ? required(key, value) : nonBlank(key, value).orElse(null);
        if (v == null) {
            return null;
        }
        URI uri = parseUri(key, v);
        if (uri == null) {
            return null;
        }
        String scheme = uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !scheme.equals("http")) {
            problem(key, "'" + safe(uri) + "' must be an https:// URL");
            return null;
        }
        if (scheme.equals("http") && !allowInsecure) {
            problem(key, "'" + safe(uri) + "' is http://: tokens and secrets would travel in clear; use https://,"
                    + " or set allow-insecure=true for local development");
            return null;
        }
        return uri;
    }

    /** An optional URL, as {@link #url}. */
    Optional<URI> optionalUrl(String key, Optional<String> value) {
        return Optional.ofNullable(url(key, value, false));
    }

    /** An absolute URL with a host and no user info; messages show it without user info and query. */
    URI parseUri(String key, String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (Exception e) {
            problem(key, "malformed URL '" + Urls.redact(value) + "'");
            return null;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            problem(key, "'" + Urls.redact(value) + "' is not an absolute URL with a host");
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            problem(key, "'" + safe(uri) + "' must not contain a user name or password; set client-id and client-secret"
                    + " (or username and password) instead");
            return null;
        }
        return uri;
    }

    Duration duration(String key, Optional<String> value, Duration defaultValue, Duration max) {
        Optional<String> v = value(key, value);
        if (v.isEmpty() || v.get().isBlank()) {
            return defaultValue;
        }
        String text = v.get().trim();
        String tooLong = "'" + HttpHeaderNames.printable(text) + "' is too long (at most " + Durations.format(max) + ")";
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative()) {
                problem(key, "'" + text + "' must not be negative");
                return defaultValue;
            }
            if (d.compareTo(max) > 0) {
                problem(key, tooLong);
                return defaultValue;
            }
            return d;
        } catch (Durations.TooLarge e) {
            problem(key, tooLong);
            return defaultValue;
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return defaultValue;
        }
    }

    Duration positive(String key, Duration d) {
        if (d.isZero()) {
            problem(key, "must be longer than zero");
        }
        return d;
    }

    int integer(String key, Optional<String> value, int defaultValue, int min, int max) {
        Optional<String> v = value(key, value);
        if (v.isEmpty() || v.get().isBlank()) {
            return defaultValue;
        }
        String text = v.get().trim();
        if (!text.matches("-?\\d+")) {
            problem(key, "'" + HttpHeaderNames.printable(text) + "' is not a whole number");
            return defaultValue;
        }
        long i;
        try {
            i = Long.parseLong(text);
        } catch (NumberFormatException e) {
            i = text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (i < min) {
            problem(key, "'" + text + "' must be at least " + min);
            return defaultValue;
        }
        if (i > max) {
            problem(key, "'" + text + "' must be at most " + max);
            return defaultValue;
        }
        return (int) i;
    }

    boolean bool(String key, Optional<String> value, boolean defaultValue) {
        Optional<String> v = value(key, value);
        if (v.isEmpty() || v.get().isBlank()) {
            return defaultValue;
        }
        String text = v.get().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        problem(key, "'" + HttpHeaderNames.printable(text) + "' is not true or false");
        return defaultValue;
    }

    /** A header name, or the default (and one problem) when it is not one that camel-http sends as given. */
    String headerName(String key, Optional<String> value, String defaultValue) {
        Optional<String> v = nonBlank(key, value);
        if (v.isPresent()) {
            Optional<String> problem = HttpHeaderNames.problemWithName(v.get());
            if (problem.isPresent()) {
                problem(key, problem.get());
                return defaultValue;
            }
        }
        return v.orElse(defaultValue);
    }

    /** A URL without user info or query, which may hold credentials. */
    static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + Optional.ofNullable(uri.getRawPath()).orElse("");
    }
}
