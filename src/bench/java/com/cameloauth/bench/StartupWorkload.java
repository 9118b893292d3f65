package com.cameloauth.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Packaged app startup to the first completed route call, and RSS, beside a minimal Camel Quarkus app with the same
 * extensions and one plain camel-http route (template in {@code src/bench/resources/minimal-app/}, generated into and
 * built in {@code target/bench/minimal-app/}). Each app is started {@code startup.runs} times, alternating, with
 * {@code java -jar .../quarkus-run.jar}; startup is the time from just before the process start to the route's
 * marker line on stdout, RSS is VmRSS of the process at that moment and {@code startup.settle} later.
 * <p>
 * Both apps call a JDK HttpServer started here (not the Vert.x loopback servers: the sample routes need an orders list,
 * a shipment booking and a shipment list, which those do not answer): {@code POST /token},
 * {@code GET /api/orders}, {@code POST /api/shipments}, {@code GET /api/shipments}. Our app runs both sample routes
 * (routes/*.yaml and the Java RouteBuilder) against it with both connections configured by -D system properties.
 */
final class StartupWorkload {
    static final String OUR_MARKER = "booked as shipment";
    static final String MINIMAL_MARKER = "minimal: first call completed";

    private StartupWorkload() {
    }

    /** One start; quarkusStartedMs is what Quarkus itself logs ("started in 1.376s"), NaN when absent. */
    record Run(String app, int index, double startupMs, double quarkusStartedMs, double rssMb, double rssLaterMb,
            double rssAfterGcMb, String error) {
    }

    private static final Pattern STARTED_IN = Pattern.compile("\\[io\\.quarkus\\].* started in ([0-9.]+)s");

    static void run(BenchConfig config, Report report) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        int runs = config.integer("startup.runs");
        long settleMs = config.duration("startup.settle").toMillis();
        long timeoutMs = config.duration("startup.timeout").toMillis();
        Report.Table table = report.table("startup", "Packaged Quarkus app: startup to first completed route call, and RSS",
                "app", "runs", "startup ms median", "min", "max", "Quarkus \"started in\" ms (median)",
                "RSS MB at first call (median)",
                "RSS MB " + settleMs / 1000 + " s later (median)", "RSS MB after a full GC (median, not in the target)");
        Map<String, Object> json = report.section("startup");

        Path ours = root.resolve("target/quarkus-app/quarkus-run.jar");
        Path minimal = root.resolve("target/bench/minimal-app/target/quarkus-app/quarkus-run.jar");
        try {
            buildOurs(root, ours, config.get("startup.build").equals("true"));
            buildMinimal(root, minimal);
        } catch (Exception e) {
            BenchMain.log("startup: " + e.getMessage());
            table.row("this project", "not measured: " + e.getMessage());
            report.target("startup", "<= 1.15x minimal app startup and RSS", "not measured", "NOT RUN");
            json.put("error", e.getMessage());
            return;
        }

        List<Run> all = new ArrayList<>();
        try (Api api = Api.start()) {
            BenchMain.log("startup: loopback token server and API on port " + api.port());
            // unmeasured starts first: the first start after a build reads the jars from disk, not the page cache
            for (int i = 0; i < config.integer("startup.warmup"); i++) {
                BenchMain.log("startup: warm-up (not counted) " + start("this project", -1, root, ourCommand(ours, api),
                        OUR_MARKER, 0, timeoutMs));
                BenchMain.log("startup: warm-up (not counted) " + start("minimal Camel Quarkus app", -1, root,
                        minimalCommand(minimal, api), MINIMAL_MARKER, 0, timeoutMs));
            }
            for (int i = 0; i < runs; i++) {
                // alternate which app goes first in each round: ABBA...
                boolean oursFirst = i % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isOurs = (k == 0) == oursFirst;
                    Run r = isOurs ? start("this project", i, root, ourCommand(ours, api), OUR_MARKER, settleMs, timeoutMs)
                            : start("minimal Camel Quarkus app", i, root, minimalCommand(minimal, api), MINIMAL_MARKER,
                                    settleMs, timeoutMs);
                    all.add(r);
                    BenchMain.log("startup: " + r);
                }
            }
            json.put("apiRequests", api.requests.get());
        }
        json.put("runs", all);
        json.put("jvm", "java -jar (no JVM options), " + System.getProperty("java.runtime.version"));

        double[] oursStats = row(table, "this project", all);
        double[] minStats = row(table, "minimal Camel Quarkus app", all);
        if (oursStats == null || minStats == null) {
            report.target("startup", "<= 1.15x minimal app startup and RSS", "a run failed (see the table)", "NOT RUN");
            return;
        }
        double startRatio = oursStats[0] / minStats[0];
        double rssRatio = oursStats[1] / minStats[1];
        double rssLaterRatio = oursStats[2] / minStats[2];
        table.row("ours / minimal (target <= 1.15x)", "", f3(startRatio) + "x", "", "", f3(oursStats[3] / minStats[3]) + "x",
                f3(rssRatio) + "x", f3(rssLaterRatio) + "x", f3(oursStats[4] / minStats[4]) + "x");
        table.note("Startup: from just before the process start to the marker line on stdout (ours: `" + OUR_MARKER
                + "`, i.e. two tokens fetched, orders listed, one shipment booked; minimal: one plain camel-http GET). "
                + "Both routes' timers fire first 1 s after the route starts, which is inside both figures.");
        table.note("Quarkus \"started in\": what each app logs when Quarkus is up (Camel context started), before any "
                + "route call; the difference to the startup column is the timer delay plus the first call (ours: two "
                + "token requests, the orders GET, JSON, the shipment POST).");
        table.note("RSS after a full GC: `jcmd <pid> GC.run` after the second reading, then VmRSS 1 s later; shown to "
                + "tell retained memory (classes, live heap) from young garbage not yet collected, which dominates the "
                + "first two readings and varies run to run. The target is judged on the first two readings.");
        table.note("Both started as `java -jar .../quarkus-run.jar`, no JVM options, after " + config.get("startup.warmup")
                + " unmeasured start(s) of each, runs alternating, from "
                + "the repository root; RSS is VmRSS from /proc/<pid>/status.");
        json.put("ratios", Map.of("startup", startRatio, "rss", rssRatio, "rssLater", rssLaterRatio));
        report.target("startup", "startup <= 1.15x minimal app", Report.f0(oursStats[0]) + " ms vs "
                + Report.f0(minStats[0]) + " ms (" + f3(startRatio) + "x)", startRatio <= 1.15);
        report.target("startup", "RSS <= 1.15x minimal app", Report.f0(oursStats[1]) + " MB vs "
                + Report.f0(minStats[1]) + " MB at first call (" + f3(rssRatio) + "x); "
                + Report.f0(oursStats[2]) + " vs " + Report.f0(minStats[2]) + " MB later (" + f3(rssLaterRatio)
                + "x)", Math.max(rssRatio, rssLaterRatio) <= 1.15);
    }

    /** Adds the app's row; returns {startup median, RSS median, RSS later median}, or null when a run failed. */
    private static double[] row(Report.Table table, String app, List<Run> all) {
        List<Run> mine = all.stream().filter(r -> r.app().equals(app)).toList();
        List<Run> failed = mine.stream().filter(r -> r.error() != null).toList();
        if (!failed.isEmpty() || mine.isEmpty()) {
            table.row(app, mine.size(), "FAILED: " + (failed.isEmpty() ? "no run" : failed.get(0).error()));
            return null;
        }
        double[] start = mine.stream().mapToDouble(Run::startupMs).sorted().toArray();
        double rss = median(mine.stream().mapToDouble(Run::rssMb).toArray());
        double rssLater = median(mine.stream().mapToDouble(Run::rssLaterMb).toArray());
        double quarkus = median(mine.stream().mapToDouble(Run::quarkusStartedMs).toArray());
        double afterGc = median(mine.stream().mapToDouble(Run::rssAfterGcMb).toArray());
        double med = median(start);
        table.row(app, mine.size(), Report.f0(med), Report.f0(start[0]), Report.f0(start[start.length - 1]),
                Report.f0(quarkus), Report.f0(rss), Report.f0(rssLater), Report.f0(afterGc));
        return new double[] { med, rss, rssLater, quarkus, afterGc };
    }

    private static String f3(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    // ---- the apps ----

    private static List<String> ourCommand(Path jar, Api api) {
        String base = "http://127.0.0.1:" + api.port();
        List<String> cmd = new ArrayList<>(List.of(java(), "-Dquarkus.http.port=0",
                "-Dquarkus.log.handler.file.\"oauth-audit\".path=target/bench/startup-oauth-audit.jsonl"));
        for (String[] c : new String[][] {
                { "orders-api", "orders-client", "orders-secret", "orders:read", null },
                { "shipping-api", "shipping-client", "shipping-secret", "shipments:write shipments:read", "client_secret_post" } }) {
            String p = "-Doauth.connections." + c[0] + ".";
            cmd.add(p + "policy=client-credentials");
            cmd.add(p + "base-url=" + base + "/api");
            cmd.add(p + "token-url=" + base + "/token");
            cmd.add(p + "client-id=" + c[1]);
            cmd.add(p + "client-secret=" + c[2]);
            cmd.add(p + "scopes=" + c[3]);
            cmd.add(p + "allow-insecure=true");
            if (c[4] != null) {
                cmd.add(p + "client-auth=" + c[4]);
            }
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    private static List<String> minimalCommand(Path jar, Api api) {
        return List.of(java(), "-Dquarkus.http.port=0", "-Dbench.api-base=http://127.0.0.1:" + api.port() + "/api",
                "-jar", jar.toString());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Run start(String app, int index, Path root, List<String> cmd, String marker, long settleMs,
            long timeoutMs) throws Exception {
        Path logFile = root.resolve("target/bench/startup-" + (app.startsWith("this") ? "ours" : "minimal") + "-" + (index < 0 ? "warmup" : index) + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        CompletableFuture<Long> seen = new CompletableFuture<>();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!seen.isDone() && line.contains(marker)) {
                        seen.complete(System.nanoTime());
                    }
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
            seen.complete(-1L);
        }, "startup-" + app);
        reader.setDaemon(true);
        reader.start();
        try {
            long t1;
            try {
                t1 = seen.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                t1 = -2;
            }
            if (t1 < 0) {
                return new Run(app, index, 0, Double.NaN, 0, 0, 0, (t1 == -1 ? "exited before" : "no") + " '" + marker + "' within "
                        + timeoutMs / 1000 + " s (log: " + root.relativize(logFile) + ")");
            }
            double rss = rssMb(p.pid());
            Thread.sleep(settleMs);
            double rssLater = rssMb(p.pid());
            // then a full GC (jcmd GC.run): what is left is live data, classes, code and threads, not young garbage
            double rssAfterGc = Double.NaN;
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(p.pid()), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (gc.waitFor(20, TimeUnit.SECONDS) && gc.exitValue() == 0) {
                Thread.sleep(1000);
                rssAfterGc = rssMb(p.pid());
            } else {
                gc.destroyForcibly();
            }
            double quarkusMs = Double.NaN;
            synchronized (out) {
                Matcher m = STARTED_IN.matcher(out);
                if (m.find()) {
                    quarkusMs = Double.parseDouble(m.group(1)) * 1000;
                }
            }
            return new Run(app, index, (t1 - t0) / 1e6, quarkusMs, rss, rssLater, rssAfterGc, null);
        } finally {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(2000);
            Files.createDirectories(logFile.getParent());
            synchronized (out) {
                Files.writeString(logFile, out);
            }
        }
    }

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // process gone
        }
        return Double.NaN;
    }

    // ---- building ----

    /**
     * Our packaged app: reused when quarkus-run.jar is newer than pom.xml, src/main and routes/java; otherwise built
     * with a nested {@code ./mvnw -o -q -Pbench package -DskipTests} when {@code startup.build=true}. {@code -Pbench}
     * keeps the test sources the same as this harness's, so the nested build finds nothing to recompile in
     * target/test-classes (which this harness runs from).
     */
    private static void buildOurs(Path root, Path jar, boolean build) throws Exception {
        String stale = staleness(root, jar, List.of(root.resolve("pom.xml"), root.resolve("src/main"),
                root.resolve("routes/java")));
        if (stale == null) {
            BenchMain.log("startup: reusing " + root.relativize(jar));
            return;
        }
        String command = "./mvnw -o -q -Pbench package -DskipTests";
        if (!build) {
            throw new IllegalStateException(root.relativize(jar) + " " + stale + "; run " + command
                    + " (or pass startup.build=true)");
        }
        BenchMain.log("startup: " + root.relativize(jar) + " " + stale + "; building: " + command);
        maven(root, List.of("-Pbench", "package", "-DskipTests"), "target/bench/startup-build-app.log");
    }

    /** Generates the minimal app from its template (only changed files are written) and builds it when needed. */
    private static void buildMinimal(Path root, Path jar) throws Exception {
        Path template = root.resolve("src/bench/resources/minimal-app");
        Path dir = root.resolve("target/bench/minimal-app");
        String pom = Files.readString(root.resolve("pom.xml"));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("@QUARKUS_VERSION@", property(pom, "quarkus.version"));
        tokens.put("@CAMEL_QUARKUS_VERSION@", property(pom, "camel-quarkus.version"));
        boolean changed = false;
        List<Path> files;
        try (Stream<Path> s = Files.walk(template)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String text = Files.readString(f);
            for (Map.Entry<String, String> t : tokens.entrySet()) {
                text = text.replace(t.getKey(), t.getValue());
            }
            Path target = dir.resolve(template.relativize(f).toString());
            if (!Files.exists(target) || !Files.readString(target).equals(text)) {
                Files.createDirectories(target.getParent());
                Files.writeString(target, text);
                changed = true;
            }
        }
        if (!changed && Files.exists(jar)) {
            BenchMain.log("startup: reusing " + root.relativize(jar));
            return;
        }
        BenchMain.log("startup: building the minimal app: ./mvnw -o -q -f target/bench/minimal-app/pom.xml package -DskipTests");
        maven(root, List.of("-f", "target/bench/minimal-app/pom.xml", "package", "-DskipTests"),
                "target/bench/startup-build-minimal.log");
    }

    private static void maven(Path root, List<String> args, String log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-o", "-q"));
        cmd.addAll(args);
        Path logFile = root.resolve(log);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        // the nested Maven runs on the same JDK as this harness
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("build timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("build failed (exit " + p.exitValue() + ", log " + log + "): "
                    + String.join(" ", cmd));
        }
        BenchMain.log("startup: built in " + Report.f1((System.nanoTime() - t0) / 1e9) + " s");
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException("pom.xml has no property " + name);
        }
        return m.group(1).trim();
    }

    /** Null when the jar exists and is newer than every file under the inputs; else why not. */
    private static String staleness(Path root, Path jar, List<Path> inputs) throws IOException {
        if (!Files.exists(jar)) {
            return "is missing";
        }
        FileTime built = Files.getLastModifiedTime(jar);
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(in)) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    if (Files.getLastModifiedTime(f).compareTo(built) > 0) {
                        return "is older than " + root.relativize(f);
                    }
                }
            }
        }
        return null;
    }

    // ---- the loopback token server and API ----

    /** Token endpoint and the API the sample routes call, on a JDK HttpServer. */
    static final class Api implements AutoCloseable {
        private final HttpServer server;
        final AtomicLong requests = new AtomicLong();
        private final AtomicLong shipments = new AtomicLong();

        private Api(HttpServer server) {
            this.server = server;
        }

        static Api start() throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            Api api = new Api(s);
            s.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "startup-api");
                t.setDaemon(true);
                return t;
            }));
            s.createContext("/", api::handle);
            s.start();
            return api;
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            requests.incrementAndGet();
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/token") && method.equals("POST")) {
                send(ex, 200, "{\"access_token\":\"tok-" + Long.toHexString(System.nanoTime())
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!path.startsWith("/api/") || auth == null || !auth.startsWith("Bearer ")) {
                send(ex, path.startsWith("/api/") ? 401 : 404, "{}");
                return;
            }
            if (path.equals("/api/orders") && method.equals("GET")) {
                send(ex, 200, "[{\"id\":\"ORD-1\",\"customer\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"},"
                        + "\"shipTo\":{\"street\":\"1 Main St\",\"city\":\"Springfield\",\"postalCode\":\"12345\","
                        + "\"country\":\"US\"},\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"weightKg\":1.5}]}]");
            } else if (path.equals("/api/shipments") && method.equals("POST")) {
                long n = shipments.incrementAndGet();
                send(ex, 201, "{\"id\":\"SHP-" + n + "\",\"reference\":\"ORD-1\",\"carrier\":\"DX\",\"trackingNumber\":\"DX"
                        + n + "\",\"status\":\"BOOKED\"}");
            } else if (path.equals("/api/shipments") && method.equals("GET")) {
                ex.getResponseHeaders().add("X-Total-Count", "0");
                send(ex, 200, "[]");
            } else {
                send(ex, 404, "{}");
            }
        }

        private static void send(HttpExchange ex, int status, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
