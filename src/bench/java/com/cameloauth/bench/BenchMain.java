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
        report.header.add("Busiest processes at start (top, over 1 s): " + machine.get("busiestAtStart") + ".");
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
        if (only.contains("cluster")) {
            ClusterWorkload.run(config, report);
        }
        if (only.contains("jmh")) {
            JmhWorkload.run(config, report);
        }
        if (only.contains("startup")) {
            StartupWorkload.run(config, report);
        } else {
            report.table("quarkus", "Quarkus app", "measure", "this project", "minimal Camel Quarkus app")
                    .row("Quarkus app startup/RSS vs minimal Camel Quarkus app", "not run (only=startup)",
                            "2-3 s, ~200 MB RSS (DESIGN.md)");
        }
        String loadEnd = loadAverage();
        machine.put("loadAverageEnd", loadEnd);
        machine.put("busiestAtEnd", busiest());
        report.header.add("Busiest processes at end: " + machine.get("busiestAtEnd") + ".");
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

    /**
     * The processes using the most CPU over the last second (top), to say what else was running. This harness, the
     * Maven that started it and its loopback servers are labelled as such.
     */
    private static String busiest() {
        try {
            long self = ProcessHandle.current().pid();
            long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
            java.util.Set<Long> children = new java.util.HashSet<>();
            ProcessHandle.current().descendants().forEach(ph -> children.add(ph.pid()));
            Process p = new ProcessBuilder("top", "-b", "-n", "2", "-d", "1", "-w", "400", "-c", "-o", "%CPU").start();
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                }
            }
            p.waitFor();
            int frame = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).startsWith("top -")) {
                    frame = i; // the last frame: CPU over the last interval, not since boot
                }
            }
            String cpu = "";
            List<String> lines = new ArrayList<>();
            boolean table = false;
            for (int i = Math.max(0, frame); i < out.size() && lines.size() < 5; i++) {
                String line = out.get(i).trim();
                if (line.startsWith("%Cpu(s):")) {
                    cpu = line.substring(8).trim();
                } else if (line.startsWith("PID")) {
                    table = true;
                } else if (table && !line.isEmpty()) {
                    String[] f = line.split("\\s+", 12);
                    if (f.length < 12 || Double.parseDouble(f[8].replace(',', '.')) < 1.0) {
                        break;
                    }
                    long pid = Long.parseLong(f[0]);
                    String what = f[11];
                    String label = pid == self ? "this harness" : pid == parent ? "the Maven running this harness"
                            : children.contains(pid) ? "loopback servers / JMH fork of this harness"
                            : what.length() > 60 ? what.substring(0, what.indexOf(' ') > 0 ? what.indexOf(' ') : 60)
                                    + " " + summarize(what) : what;
                    lines.add(f[8] + "% " + label);
                }
            }
            return "CPU " + cpu + "; " + (lines.isEmpty() ? "no process above 1%" : String.join("; ", lines));
        } catch (Exception e) {
            return "unknown (" + e + ")";
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
