package com.cameloauth.token.custom;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.minidev.json.JSONValue;

/**
 * Where a value is in a custom token endpoint's answer: {@code $.a.b[0]} (a JSON path of names and indexes),
 * {@code /a/b/0} (a JSON pointer, RFC 6901) or {@code regex:...} (the first match's one group, on the raw body).
 */
public final class ResponseField {
    private static final Pattern PATH_STEP = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[(\\d+)]");

    private final String spec;
    private final List<String> steps;
    private final Pattern regex;

    private ResponseField(String spec, List<String> steps, Pattern regex) {
        this.spec = spec;
        this.steps = steps;
        this.regex = regex;
    }

    public static ResponseField of(String spec) {
        if (spec.startsWith("regex:")) {
            return new ResponseField(spec, List.of(), Pattern.compile(spec.substring(6)));
        }
        java.util.ArrayList<String> steps = new java.util.ArrayList<>();
        if (spec.startsWith("$")) {
            Matcher m = PATH_STEP.matcher(spec);
            int at = 1;
            while (at < spec.length() && m.find(at) && m.start() == at) {
                steps.add(m.group(1) != null ? m.group(1) : m.group(2));
                at = m.end();
            }
            if (at != spec.length()) {
                throw new IllegalArgumentException("not a JSON path of names and [indexes]: " + spec);
            }
        } else if (spec.startsWith("/")) {
            for (String token : spec.substring(1).split("/", -1)) {
                steps.add(token.replace("~1", "/").replace("~0", "~"));
            }
        } else {
            throw new IllegalArgumentException("not $.path, /pointer or regex:...: " + spec);
        }
        return new ResponseField(spec, List.copyOf(steps), null);
    }

    /** Whether the field is read from JSON (else from the raw text by regex). */
    public boolean isJson() {
        return regex == null;
    }

    /** The value in a body: a JSON string or number as text; empty when absent, null or an object. */
    public Optional<String> in(String body, Object json) {
        if (regex != null) {
            Matcher m = regex.matcher(body);
            return m.find() && m.group(1) != null ? Optional.of(m.group(1)) : Optional.empty();
        }
        Object at = json;
        for (String step : steps) {
            if (at instanceof Map<?, ?> map) {
                at = map.get(step);
            } else if (at instanceof List<?> list && step.matches("\\d{1,9}") && Integer.parseInt(step) < list.size()) {
                at = list.get(Integer.parseInt(step));
            } else {
                return Optional.empty();
            }
        }
        return at instanceof String || at instanceof Number || at instanceof Boolean ? Optional.of(at.toString())
                : Optional.empty();
    }

    /** The body as JSON (json-smart's permissive parser is not used: strict RFC 8259), or null when it is not JSON. */
    public static Object parseJson(String body) {
        try {
            return JSONValue.parseStrict(body);
        } catch (net.minidev.json.parser.ParseException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
