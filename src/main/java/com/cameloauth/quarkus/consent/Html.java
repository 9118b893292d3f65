package com.cameloauth.quarkus.consent;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Small HTML pages for browsers in the middle of a consent: escaped text only, no script, nothing cached, no
 * {@code Referer} sent on (a callback URL carries a code), never framed.
 */
public final class Html {
    /**
     * No script, no frame, inline styles only. No form-action: browsers apply it to the redirect after a form too, and
     * the demo's consent form redirects to the app's callback, which may be another origin.
     */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;"
            + "padding:0 1rem;color:#1f2933}h1{font-size:1.4rem}.ok{color:#1b7f3b}.bad{color:#b42318}"
            + "label{display:block;margin:.6rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.4rem}"
            + "button{margin:1rem .5rem 0 0;padding:.5rem 1rem}code{background:#f1f3f5;padding:0 .2rem}";

    private Html() {
    }

    /** Escapes text for an element's content or a quoted attribute value. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A whole page; {@code title} is escaped here, {@code body} must be built from escaped parts. */
    public static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title><meta name=\"viewport\" content=\"width=device-width\"><style>" + STYLE + "</style></head><body>"
                + body + "</body></html>";
    }

    /** The response for a page, with the headers every consent page carries. */
    public static Response response(int status, String title, String body) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page(title, body))
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .header("Referrer-Policy", "no-referrer").header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY").header("Content-Security-Policy", CSP).build();
    }
}
