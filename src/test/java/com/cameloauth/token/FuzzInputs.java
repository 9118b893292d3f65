package com.cameloauth.token;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.hc.client5.http.ConnectTimeoutException;

/** Random token endpoint answers for {@link TokenResponseFuzzTest}: each a pure function of the random source. */
final class FuzzInputs {
    /** Marks the access token value: a message showing it leaked the token. */
    static final String ACCESS_TOKEN = "ATK9q";
    /** Marks the refresh token value. */
    static final String REFRESH_TOKEN = "RTK7w";
    /** Marks text in parts of the answer that are never shown (extra fields, raw bodies, headers). */
    static final String HIDDEN = "HIDx3z";

    private static final String SPECIALS = "\"\\/\u007f\u2028\u2029\ufeff\u0000\n\r\té€😀";
    private static final String[] STATUSES_COMMON = { "400", "401", "429", "503", "500", "302", "201", "204", "408" };
    private static final String[] RETRY_AFTER = { "0", "-1", "99999999999999999999", "9223372036854775807", "+7", "1.5",
            " 120 ", "", "Thu, 01 Jan 2015 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Wed, 21 Oct 2026 07:28:00 GMT",
            "Mon, 99 Foo 2026 99:99:99 GMT", "tomorrow", "0000000000000000000000000000000000000001", "1e3" };
    private static final String[] CONTENT_TYPES = { "application/json", "application/json; charset=UTF-8", "text/html",
            "text/plain", "application/x-www-form-urlencoded", "application/jwt", ";;;", "application/json; charset=nope" };
    private static final String[] NUMBERS = { "1e30", "1e300", "1e309", "-1e309", "1e999999999", "-1e999999999",
            "1e-999999999", "3600.5", "0.5", "-0", "0.0", "NaN", "Infinity", "-Infinity", "0x10", "00012", "1E+2", "1.", ".5",
            "18446744073709551616", "9223372036854775808", "-9223372036854775809", "1" + "0".repeat(500),
            "0." + "0".repeat(500) + "1", "3600", "-3600", "300" };
    private static final String[] TOKEN_TYPES = { "\"Bearer\"", "\"bearer\"", "\"BEARER\"", "\"DPoP\"", "\"mac\"", "\"\"",
            "\" \"", "\"Bearer \"", "\"N_A\"" };
    private static final String[] ERRORS = { "\"invalid_client\"", "\"unauthorized_client\"", "\"invalid_grant\"",
            "\"invalid_scope\"", "\"invalid_request\"", "\"\"", "\"bad\\u0000code\"", "\"" + "x".repeat(300) + "\"",
            "\"bad code\"", "\"é\"" };
    private static final String[] BODIES = { "", " ", "\r\n", "{}", "[]", "null", "0", "\"x\"", "{", "}",
            "{\"access_token\":", "<html>" + HIDDEN + "</html>", "{\"access_token\":\"a\",\"token_type\":\"Bearer\"}{}",
            "{\"access_token\":\"a\",\"access_token\":\"b\",\"token_type\":\"Bearer\"}", "\ufeff{\"access_token\":\"a\"}" };

    private FuzzInputs() {
    }

    /** A canned answer of the transport, or its failure. */
    record Answer(int status, List<String[]> headers, String body, IOException failure) {
        @Override
        public String toString() {
            if (failure != null) {
                return "failure " + failure;
            }
            String b = body == null ? "null" : body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
            return "HTTP " + status + " " + headers.stream().map(h -> h[0] + ": " + printable(h[1])).toList() + " body("
                    + (body == null ? 0 : body.length()) + " chars)=" + printable(b);
        }

        private static String printable(String text) {
            StringBuilder sb = new StringBuilder();
            text.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
            return sb.toString();
        }
    }

    static Answer answer(FuzzEntropy r) {
        if (r.nextInt(40) == 0) {
            return new Answer(0, List.of(), null, failure(r));
        }
        return new Answer(status(r), headers(r), body(r), null);
    }

    private static IOException failure(FuzzEntropy r) {
        return switch (r.nextInt(7)) {
            case 0 -> new SocketTimeoutException("Read timed out");
            case 1 -> new ConnectException("Connection refused");
            case 2 -> new ConnectTimeoutException("connect timed out");
            case 3 -> new BoundedHttpSender.BodyTooLargeException(r.nextInt(100, 600));
            case 4 -> new BoundedHttpSender.DeadlineExceededException(Duration.ofMillis(r.nextLong(0, 100_000)), null);
            case 5 -> new IOException("Broken pipe");
            default -> new IOException((String) null);
        };
    }

    private static int status(FuzzEntropy r) {
        int k = r.nextInt(14);
        return k < 8 ? 200 : k < 11 ? Integer.parseInt(pick(r, STATUSES_COMMON)) : r.nextInt(100, 600);
    }

    private static List<String[]> headers(FuzzEntropy r) {
        List<String[]> headers = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            headers.add(switch (r.nextInt(4)) {
                case 0 -> new String[] { "Retry-After", retryAfter(r) };
                case 1 -> new String[] { "Content-Type", r.nextBoolean() ? pick(r, CONTENT_TYPES) : text(r, 80) + HIDDEN };
                case 2 -> new String[] { "Content-Length", r.nextBoolean() ? String.valueOf(r.nextLong())
                        : pick(r, new String[] { "-1", "99999999999999999999999", "abc", "0" }) };
                default -> new String[] { "WWW-Authenticate", text(r, 60) + HIDDEN };
            });
        }
        return headers;
    }

    private static String retryAfter(FuzzEntropy r) {
        return switch (r.nextInt(4)) {
            case 0 -> String.valueOf(r.nextLong());
            case 1 -> digits(r, 1 + r.nextInt(40));
            case 2 -> pick(r, RETRY_AFTER);
            default -> text(r, 30);
        };
    }

    private static String body(FuzzEntropy r) {
        int k = r.nextInt(21);
        if (k < 10) {
            return tokenJson(r);
        } else if (k < 13) {
            return errorJson(r);
        } else if (k < 15) {
            return value(r, 3);
        } else if (k < 16) {
            return nested(r);
        } else if (k < 18) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            return new String(b, r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1) + HIDDEN;
        } else if (k < 19) {
            return text(r, 200) + HIDDEN;
        } else if (k < 20) {
            return pick(r, BODIES);
        }
        return null;
    }

    /** A token response whose every field may be missing or of any type, plus an extra field never shown. */
    private static String tokenJson(FuzzEntropy r) {
        List<String> fields = new ArrayList<>();
        add(r, fields, "access_token", 0.1, r.nextInt(4) > 0 ? quote(ACCESS_TOKEN + tokenChars(r)) : value(r, 1));
        add(r, fields, "token_type", 0.1, switch (r.nextInt(6)) {
            case 0, 1, 2 -> pick(r, new String[] { "\"Bearer\"", "\"bearer\"", "\"BEARER\"" });
            case 3, 4 -> pick(r, TOKEN_TYPES);
            default -> value(r, 1);
        });
        add(r, fields, "expires_in", 0.2, switch (r.nextInt(3)) {
            case 0 -> number(r);
            case 1 -> "\"" + number(r) + "\"";
            default -> value(r, 1);
        });
        add(r, fields, "refresh_token", 0.6, r.nextBoolean() ? quote(REFRESH_TOKEN + tokenChars(r)) : value(r, 1));
        add(r, fields, "scope", 0.6, r.nextBoolean() ? pick(r, new String[] { "\"read write\"", "\"\"", "\" \"", "\"a  b\"" })
                : value(r, 1));
        add(r, fields, "note", 0.5, r.nextBoolean() ? value(r, 2) : quote(text(r, 40) + HIDDEN));
        Collections.rotate(fields, r.nextInt(6));
        return "{" + String.join(",", fields) + "}";
    }

    private static String errorJson(FuzzEntropy r) {
        List<String> fields = new ArrayList<>();
        add(r, fields, "error", 0.1, r.nextInt(3) > 0 ? pick(r, ERRORS) : value(r, 1));
        add(r, fields, "error_description", 0.3, switch (r.nextInt(4)) {
            case 0 -> "\"client " + TestConnection.CLIENT_SECRET + " is wrong\"";
            case 1 -> "\"line\\nbreak\\r\\u001b[31m\\u2028\"";
            case 2 -> value(r, 1);
            default -> quote(text(r, 300));
        });
        add(r, fields, "error_uri", 0.7, r.nextBoolean() ? pick(r, new String[] { "\"https://example.com/e\"", "\"not a uri\"",
                "\"::\"" }) : value(r, 1));
        return "{" + String.join(",", fields) + "}";
    }

    private static void add(FuzzEntropy r, List<String> fields, String key, double missing, String value) {
        if (r.nextDouble() >= missing) {
            fields.add("\"" + key + "\":" + value);
        }
    }

    private static String number(FuzzEntropy r) {
        return switch (r.nextInt(6)) {
            case 0 -> String.valueOf(r.nextInt());
            case 1 -> String.valueOf(r.nextLong());
            case 2 -> (r.nextBoolean() ? "-" : "") + digits(r, 1 + r.nextInt(45));
            case 3 -> String.valueOf(Double.longBitsToDouble(r.nextLong()));
            case 4 -> String.valueOf(r.nextDouble() * Math.pow(10, r.nextInt(-5, 40)));
            default -> pick(r, NUMBERS);
        };
    }

    /** Any JSON-ish value: numbers, literals, strings with any characters (some raw, unescaped), arrays, objects. */
    private static String value(FuzzEntropy r, int depth) {
        int k = r.nextInt(depth <= 0 ? 4 : 6);
        return switch (k) {
            case 0 -> number(r);
            case 1 -> pick(r, new String[] { "true", "false", "null" });
            case 2 -> quote(text(r, 40));
            case 3 -> "\"" + text(r, 20) + "\"";
            case 4 -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(value(r, depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(quote(text(r, 10)) + ":" + value(r, depth - 1));
                }
                yield "{" + String.join(",", items) + "}";
            }
        };
    }

    private static String nested(FuzzEntropy r) {
        int n = r.nextInt(1, 20_000);
        String[][] kinds = { { "[", "]" }, { "{\"a\":", "}" }, { "[{\"b\":", "}]" } };
        String[] kind = kinds[r.nextInt(kinds.length)];
        StringBuilder sb = new StringBuilder("{\"access_token\":").append(kind[0].repeat(n)).append('1');
        if (r.nextBoolean()) {
            sb.append(kind[1].repeat(n));
        }
        return sb.append(",\"token_type\":\"Bearer\"}").toString();
    }

    private static String tokenChars(FuzzEntropy r) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=";
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(1, 60); i > 0; i--) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    private static String digits(FuzzEntropy r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }

    /** Any characters: ASCII, control characters, JSON specials, unicode including lone surrogates. */
    private static String text(FuzzEntropy r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder sb = new StringBuilder(n);
        int kind = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(switch (kind) {
                case 0 -> (char) r.nextInt(0x20, 0x7f);
                case 1 -> (char) r.nextInt(0, 0x20);
                case 2 -> SPECIALS.charAt(r.nextInt(SPECIALS.length()));
                default -> (char) r.nextInt(0, 0x10000);
            });
        }
        return sb.toString();
    }

    /** A JSON string literal of any text, escaped as JSON requires (control characters as \\uXXXX). */
    private static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String pick(FuzzEntropy r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}
