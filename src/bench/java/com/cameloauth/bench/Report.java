package com.cameloauth.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Tables for people (Markdown, printed and written to results.md) and every raw figure as JSON (results.json). */
final class Report {

    static final class Table {
        final String id;
        final String title;
        final List<String> columns;
        final List<List<String>> rows = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Table(String id, String title, List<String> columns) {
            this.id = id;
            this.title = title;
            this.columns = columns;
        }

        Table row(Object... cells) {
            List<String> r = new ArrayList<>();
            for (Object c : cells) {
                r.add(c == null ? "" : c.toString());
            }
            rows.add(r);
            return this;
        }

        Table note(String note) {
            notes.add(note);
            return this;
        }
    }

    /** A target of the issue and what this run measured. */
    record Target(String workload, String target, String measured, String verdict) {
    }

    final Map<String, Object> json = new LinkedHashMap<>();
    final List<Table> tables = new ArrayList<>();
    final List<Target> targets = new ArrayList<>();
    final List<String> header = new ArrayList<>();

    Table table(String id, String title, String... columns) {
        Table t = new Table(id, title, Arrays.asList(columns));
        tables.add(t);
        return t;
    }

    void target(String workload, String target, String measured, boolean met) {
        targets.add(new Target(workload, target, measured, met ? "met" : "MISSED"));
    }

    void target(String workload, String target, String measured, String verdict) {
        targets.add(new Target(workload, target, measured, verdict));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        return (Map<String, Object>) json.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
    }

    static String markdown(Table t) {
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(t.title).append("\n\n");
        int[] widths = new int[t.columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = t.columns.get(i).length();
            for (List<String> r : t.rows) {
                if (i < r.size()) {
                    widths[i] = Math.max(widths[i], r.get(i).length());
                }
            }
        }
        appendRow(sb, t.columns, widths);
        sb.append('|');
        for (int w : widths) {
            sb.append('-').append("-".repeat(w)).append("-|");
        }
        sb.append('\n');
        for (List<String> r : t.rows) {
            appendRow(sb, r, widths);
        }
        for (String n : t.notes) {
            sb.append("\n- ").append(n);
        }
        sb.append("\n\n");
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] widths) {
        sb.append('|');
        for (int i = 0; i < widths.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            sb.append(' ').append(c).append(" ".repeat(widths[i] - c.length())).append(" |");
        }
        sb.append('\n');
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# Camel OAuth Connections: benchmark results\n\n");
        for (String h : header) {
            sb.append(h).append('\n');
        }
        sb.append('\n');
        for (Table t : tables) {
            sb.append(markdown(t));
        }
        Table summary = new Table("targets", "Targets", List.of("workload", "target", "measured", "verdict"));
        for (Target t : targets) {
            summary.row(t.workload(), t.target(), t.measured(), t.verdict());
        }
        sb.append(markdown(summary));
        return sb.toString();
    }

    void print(PrintStream out) {
        out.println();
        out.println(markdown());
        out.flush();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> tableJson = new ArrayList<>();
        for (Table t : tables) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id);
            m.put("title", t.title);
            m.put("columns", t.columns);
            m.put("rows", t.rows);
            m.put("notes", t.notes);
            tableJson.add(m);
        }
        json.put("tables", tableJson);
        json.put("targets", targets);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), json);
        Files.writeString(dir.resolve("results.md"), markdown(), StandardCharsets.UTF_8);
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
