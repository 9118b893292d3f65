package com.cameloauth.auth;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The signature base string of RFC 5849 section 3.4.1, and its percent-encoding (section 3.6). */
final class OAuth1BaseString {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private OAuth1BaseString() {
    }

    /** A request parameter, decoded. */
    record Parameter(String name, String value) {
    }

    /**
     * {@code METHOD&encoded-base-string-uri&encoded-normalized-parameters}, from the request URL's query, the form
     * body's parameters and the protocol parameters (without {@code oauth_signature} and {@code realm}).
     */
    static String of(String method, URI uri, List<Parameter> formParameters, List<Parameter> protocolParameters) {
        List<Parameter> all = new ArrayList<>(parseForm(uri.getRawQuery()));
        all.addAll(formParameters);
        all.addAll(protocolParameters);
        return encode(method.toUpperCase(Locale.ROOT)) + '&' + encode(baseStringUri(uri)) + '&' + encode(normalize(all));
    }

    /** Section 3.4.1.2: lowercase scheme and host, the port only when not the scheme's default, the path, no query. */
    static String baseStringUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port < 0 || port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https");
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    /** Section 3.4.1.3.2: names and values encoded, sorted by name then value (byte order), joined with {@code &}. */
    static String normalize(List<Parameter> parameters) {
        return parameters.stream().map(p -> new Parameter(encode(p.name()), encode(p.value())))
                .sorted(Comparator.comparing(Parameter::name).thenComparing(Parameter::value))
                .map(p -> p.name() + '=' + p.value()).collect(Collectors.joining("&"));
    }

    /** Parses {@code application/x-www-form-urlencoded} text (a query or a body) into decoded pairs, in order. */
    static List<Parameter> parseForm(String text) {
        List<Parameter> parameters = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return parameters;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            parameters.add(new Parameter(decode(name), decode(value)));
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a request parameter has a malformed percent-encoding", e);
        }
    }

    /** Section 3.6: UTF-8, every byte but ALPHA, DIGIT, {@code - . _ ~} as {@code %XX} with uppercase hex. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                out.write(c);
            } else {
                out.write('%');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
