package com.cameloauth.token.custom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom flow's template: text with placeholders, nothing else (no expressions). Each value is escaped for where it
 * lands, so that a value can never add a parameter, a JSON member, a path segment or a header line.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "\\{(client-id|client-secret|scope|refresh-token|code|code-verifier|redirect-uri|value\\.[A-Za-z0-9_-]+)}");

    /** Where a template's text goes, and how a value is escaped there. */
    public enum Target {
        /** Anywhere in a URL: every byte but the unreserved ones is percent-encoded. */
        URL(Template::percentEncode),
        /** A value in an application/x-www-form-urlencoded body. */
        FORM(v -> URLEncoder.encode(v, StandardCharsets.UTF_8)),
        /** Inside a JSON string literal. */
        JSON(Template::jsonEscape),
        /** A header value: refused when it holds a line break or another control character. */
        HEADER(Template::headerSafe);

        private final UnaryOperator<String> escape;

        Target(UnaryOperator<String> escape) {
            this.escape = escape;
        }
    }

    private Template() {
    }

    /**
     * The template with each placeholder replaced by its escaped value; a placeholder without a value (no refresh
     * token yet) becomes empty.
     */
    public static String render(String template, Map<String, String> values, Target target) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.getOrDefault(m.group(1), "");
            m.appendReplacement(out, Matcher.quoteReplacement(target.escape.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    static String jsonEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }

    static String headerSafe(String value) {
        for (char ch : value.toCharArray()) {
            if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                throw new IllegalArgumentException("a value for a header template holds a control character (a line"
                        + " break would start a new header)");
            }
        }
        return value;
    }
}
