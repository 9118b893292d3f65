package com.cameloauth.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

/**
 * The benchmark harness: {@code ./mvnw -Pbench test-compile exec:exec} (options: {@code -Dbench.args="key=value ..."},
 * JVM options: {@code -Dbench.jvmArgs=...}; {@code -Dbench.args=help} lists the options). Starts the loopback token
 * server and API in a child JVM, runs the workloads, prints one Markdown report and writes
 * {@code target/bench/results.json} and {@code results.md}.
 */
public final class BenchMain {
    private static final long START = System.nanoTime();

    private BenchMain() {
    }

    static void log(String message) {
        System.out.printf("[bench %6.1fs] %s%n", (System.nanoTime() - START) / 1e9, message);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("help")) {
            System.out.println("options (key=value):\n" + BenchConfig.help());
            return;
        }
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        BenchConfig config = new BenchConfig(args);
        Set<String> only = config.set("only");
        CamelHarness.methodHeader = config.get("httpMethod").equals("string") ? "GET"
                : org.apache.camel.component.http.HttpMethods.GET;
        Report report = new Report();
        Map<String, Object> machine = machine();
        report.json.put("machine", machine);
        report.json.put("options", config.all());
        report.json.put("startedAt", Instant.now().toString());
        report.header.add("Run " + Instant.now() + " on " + machine.get("cpus") + " CPUs, " + machine.get("memory")
                + ", " + machine.get("java") + "; load average at start " + machine.get("loadAverageStart") + ".");
        report.header.add("Busiest processes at start: " + machine.get("busiestAtStart") + ".");
        report.header.add("Options: " + config.all());

        try (LoopbackServers.Handle servers = LoopbackServers.Handle.start()) {
            log("loopback servers: token port " + servers.tokenPort + ", API port " + servers.apiPort);
            if (only.contains("overhead")) {
                OverheadWorkload.run(config, servers, report);
            }
            if (only.contains("storm")) {
                ExpiryStormWorkload.run(config, servers, report);
            }
            if (only.contains("boundary")) {
                RefreshBoundaryWorkload.run(config, servers, report);
            }
            if (only.contains("connections")) {
                ManyConnectionsWorkload.run(config, servers, report);
            }
        }
        if (only.contains("jmh")) {
            JmhWorkload.run(config, report);
        }
        report.table("quarkus", "Quarkus app", "measure", "this project", "minimal Camel Quarkus app")
                .row("Quarkus app startup/RSS vs minimal Camel Quarkus app", "not measured yet (needs the Quarkus app)",
                        "2-3 s, ~200 MB RSS (DESIGN.md)");
        String loadEnd = loadAverage();
        machine.put("loadAverageEnd", loadEnd);
        machine.put("busiestAtEnd", busiest());
        report.header.add("Load average at end " + loadEnd + "; whole run " + Report.f0((System.nanoTime() - START) / 1e9) + " s.");
        report.print(System.out);
        Path out = Path.of(config.get("out"));
        report.write(out);
        log("wrote " + out.resolve("results.json") + " and " + out.resolve("results.md"));
        System.exit(0); // camel-http and the engines keep non-daemon threads of their own
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("memory", memTotal());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("loadAverageStart", loadAverage());
        m.put("busiestAtStart", busiest());
        return m;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return Report.f1(kb / 1024.0 / 1024.0) + " GiB";
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "unknown memory";
    }

    /** The processes using the most CPU right now (ps), to say what else was running. */
    private static String busiest() {
        try {
            Process p = new ProcessBuilder("ps", "-eo", "pcpu,comm,args", "--sort=-pcpu", "--no-headers").start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null && lines.size() < 5) {
                    String[] f = line.trim().split("\\s+", 3);
                    String what = f.length > 2 ? f[2] : f[1];
                    if (what.contains("com.cameloauth.bench")) {
                        what = f[1] + " (this harness)";
                    } else if (what.length() > 60) {
                        what = f[1] + " " + summarize(f[2]);
                    }
                    lines.add(f[0] + "% " + what);
                }
            }
            p.waitFor();
            return String.join("; ", lines);
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String summarize(String args) {
        for (String marker : new String[] { "surefire", "plexus-classworlds", "maven", "quarkus", "keycloak", "redis", "chrom" }) {
            if (args.contains(marker)) {
                return "(" + marker + ")";
            }
        }
        return "";
    }
}
