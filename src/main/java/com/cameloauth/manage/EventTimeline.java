package com.cameloauth.manage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.cameloauth.observe.ApiCallHistory;
import com.cameloauth.token.TokenEvent;

/**
 * A small SVG timeline of a connection in a window ending now. The top band has one mark per token event, coloured by
 * kind (green obtained, amber 401 replay, red failed or blocked); the bottom band one bar per minute of API calls,
 * stacked by outcome (green 2xx, grey 3xx, amber 4xx, red 5xx, dark red no answer), scaled to the busiest minute.
 * The text alternative ({@code <title>} and {@code <desc>}, referenced by {@code aria-labelledby}) says the same in
 * words; every mark and bar has its own {@code <title>} as a tooltip.
 */
public final class EventTimeline {
    static final int WIDTH = 640;
    static final int HEIGHT = 120;
    private static final int LEFT = 8;
    private static final int RIGHT = 8;
    private static final int EVENTS_AXIS_Y = 44;
    private static final int CALLS_BASE_Y = 96;
    private static final int CALLS_MAX_HEIGHT = 44;
    private static final String[] OUTCOMES = {"2xx", "3xx", "4xx", "5xx", "no answer"};
    private static final String[] OUTCOME_COLOURS = {"#15803d", "#6b7280", "#b45309", "#b91c1c", "#7f1d1d"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private EventTimeline() {
    }

    /** Token events only. */
    public static String render(List<TokenEvent> events, Instant now, Duration window) {
        return render(events, List.of(), now, window);
    }

    /** Token events and API call outcomes per minute ({@link ApiCallHistory#lastHour}). */
    public static String render(List<TokenEvent> events, List<ApiCallHistory.Minute> calls, Instant now, Duration window) {
        Instant from = now.minus(window);
        List<TokenEvent> shown = events.stream().filter(e -> !e.at().isBefore(from) && !e.at().isAfter(now)).toList();
        List<ApiCallHistory.Minute> minutes = calls.stream()
                .filter(m -> m.total() > 0 && m.start().plusSeconds(60).isAfter(from) && !m.start().isAfter(now)).toList();
        long[] totals = new long[OUTCOMES.length];
        minutes.forEach(m -> add(totals, counts(m)));
        long callCount = sum(totals);
        StringBuilder svg = new StringBuilder(2048);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-labelledby=\"timeline-title timeline-desc\">")
                .append("<title id=\"timeline-title\">").append(shown.size()).append(" token event(s) in the last ")
                .append(window.toMinutes()).append(" minutes and ").append(callCount).append(" API call(s), up to ")
                .append(TIME.format(now)).append(" UTC</title>")
                .append("<desc id=\"timeline-desc\">").append(escape(description(shown, totals, minutes))).append("</desc>")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        line(svg, LEFT, EVENTS_AXIS_Y, WIDTH - RIGHT, EVENTS_AXIS_Y, "#d1d5db");
        line(svg, LEFT, CALLS_BASE_Y, WIDTH - RIGHT, CALLS_BASE_Y, "#6b7280");
        double plot = WIDTH - LEFT - RIGHT;
        for (int i = 0; i <= 4; i++) {
            double x = LEFT + plot * i / 4;
            long minutesAgo = window.toMinutes() * (4 - i) / 4;
            line(svg, x, CALLS_BASE_Y, x, CALLS_BASE_Y + 4, "#6b7280");
            svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(HEIGHT - 8)
                    .append("\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#374151\" text-anchor=\"")
                    .append(i == 0 ? "start" : i == 4 ? "end" : "middle").append("\">")
                    .append(minutesAgo == 0 ? "now" : "-" + minutesAgo + " min").append("</text>");
        }
        for (TokenEvent e : shown) {
            double x = x(e.at(), from, window);
            svg.append("<g class=\"event\"><title>").append(escape(e.type().name() + " at " + TIME.format(e.at()) + " UTC"
                    + (e.fingerprint() == null ? "" : " fp=" + e.fingerprint())
                    + (e.detail() == null ? "" : ": " + SafeText.of(e.detail()))))
                    .append("</title><rect x=\"").append(fmt(x - 1.5)).append("\" y=\"").append(y(e.type()))
                    .append("\" width=\"3\" height=\"14\" rx=\"1\" fill=\"").append(colour(e.type())).append("\"/></g>");
        }
        long busiest = minutes.stream().mapToLong(ApiCallHistory.Minute::total).max().orElse(1);
        for (ApiCallHistory.Minute m : minutes) {
            appendMinute(svg, m, from, window, busiest);
        }
        return svg.append("</svg>").toString();
    }

    private static void appendMinute(StringBuilder svg, ApiCallHistory.Minute m, Instant from, Duration window, long busiest) {
        double x0 = Math.max(LEFT, x(m.start(), from, window));
        double x1 = Math.min(WIDTH - RIGHT, x(m.start().plusSeconds(60), from, window));
        double width = Math.max(1, x1 - x0 - 1);
        long[] counts = counts(m);
        svg.append("<g class=\"calls\" data-minute=\"").append(MINUTE.format(m.start())).append("\" data-total=\"")
                .append(m.total()).append("\"><title>").append(MINUTE.format(m.start())).append(" UTC: ")
                .append(escape(breakdown(m.total(), counts))).append("</title>");
        double height = Math.max(2, (double) CALLS_MAX_HEIGHT * m.total() / busiest);
        double y = CALLS_BASE_Y;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double h = height * counts[i] / m.total();
            y -= h;
            svg.append("<rect data-outcome=\"").append(OUTCOMES[i]).append("\" data-count=\"").append(counts[i])
                    .append("\" x=\"").append(fmt(x0)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(width))
                    .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(OUTCOME_COLOURS[i]).append("\"/>");
        }
        svg.append("</g>");
    }

    /** The text alternative: counts in words, the worst minutes named, for readers who cannot see the bars. */
    private static String description(List<TokenEvent> events, long[] totals, List<ApiCallHistory.Minute> minutes) {
        StringBuilder d = new StringBuilder("Token events: ");
        if (events.isEmpty()) {
            d.append("none");
        } else {
            List<String> kinds = new ArrayList<>();
            for (TokenEvent.Type type : TokenEvent.Type.values()) {
                long n = events.stream().filter(e -> e.type() == type).count();
                if (n > 0) {
                    kinds.add(n + " " + type.name());
                }
            }
            d.append(String.join(", ", kinds));
        }
        d.append(". API calls: ").append(sum(totals) == 0 ? "none" : breakdown(sum(totals), totals)).append('.');
        List<String> failing = minutes.stream().filter(m -> m.client() + m.server() + m.noAnswer() > 0)
                .map(m -> MINUTE.format(m.start())).toList();
        if (!failing.isEmpty()) {
            d.append(" Minutes with failed calls (UTC): ").append(String.join(", ", failing)).append('.');
        }
        return d.toString();
    }

    private static String breakdown(long total, long[] counts) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                parts.add(counts[i] + " " + OUTCOMES[i]);
            }
        }
        return total + " API call(s): " + String.join(", ", parts);
    }

    private static long[] counts(ApiCallHistory.Minute m) {
        return new long[] {m.ok(), m.redirect(), m.client(), m.server(), m.noAnswer()};
    }

    private static void add(long[] into, long[] counts) {
        for (int i = 0; i < into.length; i++) {
            into[i] += counts[i];
        }
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    private static double x(Instant at, Instant from, Duration window) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (double) Duration.between(from, at).toMillis() / window.toMillis();
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String stroke) {
        svg.append("<line x1=\"").append(fmt(x1)).append("\" y1=\"").append(fmt(y1)).append("\" x2=\"").append(fmt(x2))
                .append("\" y2=\"").append(fmt(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"1\"/>");
    }

    private static int y(TokenEvent.Type type) {
        return switch (type) {
            case ACQUIRED, REFRESHED -> 12;
            case REJECTED -> 20;
            default -> 28;
        };
    }

    private static String colour(TokenEvent.Type type) {
        return switch (type) {
            case ACQUIRED, REFRESHED -> "#15803d";
            case REJECTED -> "#b45309";
            default -> "#b91c1c";
        };
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
