package com.cameloauth.component;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

import org.apache.camel.Exchange;

/**
 * Keeps an {@code oauth:} call on its connection's API: same scheme, host and port as the base-url, and a path that
 * stays below the base-url path. Built once per producer; checks cost nothing unless a header changes the path.
 */
final class RequestTargetGuard {
    /** Percent-decoding rounds before a path counts as undecodable (a triple-encoded dot is still caught). */
    private static final int DECODE_ROUNDS = 4;

    private final String connection;
    private final String scheme;
    private final String host;
    private final int port;
    private final String basePath; // decoded, without a trailing slash; "" for the root

    RequestTargetGuard(String connection, URI baseUrl) {
        this.connection = connection;
        this.scheme = baseUrl.getScheme().toLowerCase(Locale.ROOT);
        this.host = baseUrl.getHost();
        this.port = effectivePort(baseUrl);
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        this.basePath = path;
    }

    /**
     * Refuses a {@code CamelHttpPath} that could leave the base-url path once decoded by any server on the way: dot-dot
     * segments (raw, percent-encoded, double-encoded, with {@code ;} parameters, full-width), backslashes, control
     * characters, malformed UTF-8.
     */
    void checkPathHeader(Exchange exchange, String path) throws RequestTargetRefusedException {
        String problem = problemIn(path);
        if (problem != null) {
            throw new RequestTargetRefusedException(exchange, connection, Exchange.HTTP_PATH, problem);
        }
    }

    /** The last word: the URL camel-http is about to call must be on the base-url's scheme, host, port and path. */
    void checkUrl(Exchange exchange, String url, String header) throws RequestTargetRefusedException {
        String problem;
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !scheme.equals(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null || !host.equalsIgnoreCase(uri.getHost()) || port != effectivePort(uri)
                    || uri.getRawUserInfo() != null) {
                problem = "would send the call to another scheme, host or port than the base-url";
            } else {
                problem = problemIn(uri.getRawPath());
                if (problem == null && !below(decodeFully(uri.getRawPath()))) {
                    problem = "would send the call outside the base-url path '" + basePath + "'";
                }
            }
        } catch (URISyntaxException e) {
            problem = "makes an invalid URL";
        }
        if (problem != null) {
            throw new RequestTargetRefusedException(exchange, connection, header, problem);
        }
    }

    /** Whether the endpoint's own URL (base-url plus the path of the oauth: URI) stays below the base-url path. */
    boolean contains(String url) {
        try {
            URI uri = new URI(url);
            return problemIn(uri.getRawPath()) == null && below(decodeFully(uri.getRawPath()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private boolean below(String decodedPath) {
        return basePath.isEmpty() || decodedPath.equals(basePath) || decodedPath.startsWith(basePath + "/");
    }

    /** Why this (raw) path could escape, or null when it cannot. */
    static String problemIn(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return null;
        }
        String path = decodeFully(rawPath);
        if (path == null) {
            return "has a path that does not decode to UTF-8 text";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "has a control character in its path";
            }
            if (c == '\\') {
                return "has a backslash in its path (some servers read it as '/')";
            }
        }
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (isDotDot(path.substring(start, end))) {
                return "has a '..' segment in its path (after decoding), which could leave the base-url path";
            }
            start = end + 1;
        }
        return null;
    }

    private static boolean isDotDot(String segment) {
        int semicolon = segment.indexOf(';'); // Tomcat and others drop path parameters: "..;x" is ".."
        String name = semicolon >= 0 ? segment.substring(0, semicolon) : segment;
        if (name.length() > 2 && !name.chars().allMatch(c -> c < 0x80)) {
            name = Normalizer.normalize(name, Normalizer.Form.NFKC); // full-width dots
        }
        return name.equals("..");
    }

    /** Percent-decodes until nothing changes (at most a few rounds); null if that does not settle or is not UTF-8. */
    static String decodeFully(String raw) {
        String current = raw;
        for (int round = 0; round < DECODE_ROUNDS; round++) {
            if (current.indexOf('%') < 0) {
                return current;
            }
            String next = decodeOnce(current);
            if (next == null) {
                return null;
            }
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        return current.indexOf('%') < 0 || current.equals(decodeOnce(current)) ? current : null;
    }

    private static String decodeOnce(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 1), 16) >= 0 && Character.digit(text.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : -1;
    }
}
