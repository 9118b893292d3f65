package com.cameloauth.connection;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way Quarkus users write them: {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}, {@code 2d}, a plain number of seconds, or ISO-8601 {@code PT30S}. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        String v = text.trim();
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            String iso = v.toUpperCase();
            return Duration.parse(iso.startsWith("P") || iso.startsWith("-P") ? iso : "PT" + iso);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + v + "' is not a duration (use 30s, 500ms, 5m, 1h or ISO-8601 such as PT30S)");
        }
    }
}
