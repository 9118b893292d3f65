package com.cameloauth.manage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import com.cameloauth.token.TokenEvent;

/**
 * A small SVG timeline of a connection's token events in a window ending now: one mark per event, coloured by kind
 * (green obtained, amber 401 replay, red failed or blocked), with a title for screen readers and tooltips. Shows token
 * events only: API call outcomes are not recorded as events yet.
 */
public final class EventTimeline {
    static final int WIDTH = 640;
    static final int HEIGHT = 72;
    private static final int LEFT = 8;
    private static final int RIGHT = 8;
    private static final int AXIS_Y = 44;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private EventTimeline() {
    }

    public static String render(List<TokenEvent> events, Instant now, Duration window) {
        Instant from = now.minus(window);
        double plot = WIDTH - LEFT - RIGHT;
        long inWindow = events.stream().filter(e -> !e.at().isBefore(from) && !e.at().isAfter(now)).count();
        StringBuilder svg = new StringBuilder(1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" role=\"img\">")
                .append("<title>").append(inWindow).append(" token event(s) in the last ").append(window.toMinutes())
                .append(" minutes, up to ").append(TIME.format(now)).append(" UTC</title>")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
                .append("<line x1=\"").append(LEFT).append("\" y1=\"").append(AXIS_Y).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y2=\"").append(AXIS_Y).append("\" stroke=\"#6b7280\" stroke-width=\"1\"/>");
        for (int i = 0; i <= 4; i++) {
            double x = LEFT + plot * i / 4;
            long minutesAgo = window.toMinutes() * (4 - i) / 4;
            svg.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(AXIS_Y).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(AXIS_Y + 4).append("\" stroke=\"#6b7280\"/>")
                    .append("<text x=\"").append(fmt(x)).append("\" y=\"").append(HEIGHT - 8)
                    .append("\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#374151\" text-anchor=\"")
                    .append(i == 0 ? "start" : i == 4 ? "end" : "middle").append("\">")
                    .append(minutesAgo == 0 ? "now" : "-" + minutesAgo + " min").append("</text>");
        }
        for (TokenEvent e : events) {
            if (e.at().isBefore(from) || e.at().isAfter(now)) {
                continue;
            }
            double x = LEFT + plot * Duration.between(from, e.at()).toMillis() / window.toMillis();
            svg.append("<g><title>").append(escape(e.type().name() + " at " + TIME.format(e.at()) + " UTC"
                    + (e.fingerprint() == null ? "" : " fp=" + e.fingerprint())
                    + (e.detail() == null ? "" : ": " + SafeText.of(e.detail()))))
                    .append("</title><rect x=\"").append(fmt(x - 1.5)).append("\" y=\"").append(y(e.type()))
                    .append("\" width=\"3\" height=\"14\" rx=\"1\" fill=\"").append(colour(e.type())).append("\"/></g>");
        }
        return svg.append("</svg>").toString();
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
