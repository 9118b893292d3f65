package com.cameloauth.connection;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a configured header name (and the scheme before the token) before any request is sent: a header that
 * camel-http drops would make every call go out without its credential, silently.
 */
final class HttpHeaderNames {
    /** RFC 9110 section 5.6.2: {@code token = 1*tchar}. No space, colon, CR, LF or non-ASCII character. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    /**
     * Headers that camel-http's HttpHeaderFilterStrategy never copies to the request, plus hop-by-hop headers that the
     * HTTP client manages itself (RFC 9110 section 7.6.1).
     */
    private static final Set<String> CONTROL = Set.of("content-length", "content-type", "host", "cache-control",
            "connection", "date", "pragma", "trailer", "transfer-encoding", "upgrade", "via", "warning", "keep-alive", "te",
            "expect", "proxy-connection");

    private HttpHeaderNames() {
    }

    /** Why a header name cannot carry a credential, or empty when it can. */
    static Optional<String> problemWithName(String name) {
        if (!TOKEN.matcher(name).matches()) {
            return Optional.of("'" + printable(name) + "' is not a valid HTTP header name (letters, digits and"
                    + " !#$%&'*+-.^_`|~ only: no space, colon, line break or non-ASCII character)");
        }
        String lower = name.toLowerCase();
        if (lower.startsWith("camel") || lower.startsWith("org.apache.camel")) {
            return Optional.of("'" + name + "': camel-http never sends headers whose name starts with Camel, so the"
                    + " credential would not reach the API; use another name such as X-Auth-Token");
        }
        if (CONTROL.contains(lower)) {
            return Optional.of("'" + name + "' is an HTTP control header that camel-http sets or drops itself; use"
                    + " another name such as X-Auth-Token");
        }
        return Optional.empty();
    }

    /** Why a header value prefix (an authentication scheme such as Bearer) is not valid, or empty when it is. */
    static Optional<String> problemWithPrefix(String prefix) {
        if (TOKEN.matcher(prefix).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + printable(prefix) + "' is not a valid authentication scheme (one word such as Bearer,"
                + " Token or SSWS; none sends the bare token)");
    }

    /** The text with line breaks and other non-printable or non-ASCII characters escaped, so a message stays one line. */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
