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

    /**
     * A duration, or an {@link IllegalArgumentException} with a one-line message: {@link TooLarge} when the number does
     * not fit in a {@link Duration} (never an {@link ArithmeticException} or {@link NumberFormatException}).
     */
    public static Duration parse(String text) {
        String v = text.trim();
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofSeconds(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new TooLarge(v);
            }
        }
        try {
            String iso = v.toUpperCase();
            return Duration.parse(iso.startsWith("P") || iso.startsWith("-P") ? iso : "PT" + iso);
        } catch (DateTimeParseException e) {
            if (e.getCause() instanceof ArithmeticException) {
                throw new TooLarge(v);
            }
            throw new IllegalArgumentException("'" + v + "' is not a duration (use 30s, 500ms, 5m, 1h or ISO-8601 such as PT30S)");
        }
    }

    /** The shortest of {@code 365d}, {@code 24h}, {@code 1m}, {@code 30s}, {@code 500ms} that says the duration exactly. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms >= 172_800_000) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A number too large for a duration. */
    static final class TooLarge extends IllegalArgumentException {
        TooLarge(String text) {
            super("'" + text + "' is too long", null);
        }
    }
}
