package com.cameloauth.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cameloauth.bench.CamelHarness.Caller;
import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.token.OAuthConnections;

/**
 * Many connections: N connections (clients) each with a token in its cache; retained heap per connection, measured
 * as the used heap after System.gc() (median of several samples) before and after, and the token requests made.
 */
final class ManyConnectionsWorkload {
    static final List<String> IMPLS = List.of("oauth", "engine", "camel-oauth2", "spring", "hand");
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private ManyConnectionsWorkload() {
    }

    static void run(BenchConfig config, LoopbackServers.Handle servers, Report report) throws Exception {
        List<Integer> counts = config.integers("connections");
        int samples = config.integer("heapSamples");
        servers.configure(3600, 0);
        Report.Table t = report.table("connections", "Many connections: retained heap and token requests",
                "implementation", "what is held", "connections", "token requests", "heap delta KiB", "per connection KiB",
                "marginal KiB/conn");
        Map<String, Object> json = report.section("connections");
        for (String impl : IMPLS) {
            if (!config.set("impls").contains(impl)) {
                continue;
            }
            List<AutoCloseable> warm = new ArrayList<>();
            build(impl, 1, servers, warm); // load classes and static caches once, outside the measurement
            for (AutoCloseable c : warm) {
                c.close();
            }
            long previousDelta = 0;
            int previousN = 0;
            for (int n : counts) {
                servers.reset();
                long before = usedHeapAfterGc(samples);
                List<AutoCloseable> held = new ArrayList<>();
                build(impl, n, servers, held);
                long after = usedHeapAfterGc(samples);
                long tokens = servers.stats().tokens();
                long delta = after - before;
                double marginal = previousN == 0 ? Double.NaN : (delta - previousDelta) / 1024.0 / (n - previousN);
                t.row(CamelHarness.LABELS.get(impl), held(impl), n, tokens, Report.f0(delta / 1024.0),
                        Report.f1(delta / 1024.0 / n), previousN == 0 ? "" : Report.f1(marginal));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tokenRequests", tokens);
                m.put("heapDeltaBytes", delta);
                m.put("perConnectionBytes", delta / (double) n);
                m.put("marginalBytesPerConnection", Double.isNaN(marginal) ? null : marginal * 1024);
                ((Map<String, Object>) json.computeIfAbsent(impl, k -> new LinkedHashMap<String, Object>())).put(String.valueOf(n), m);
                BenchMain.log("connections: " + impl + " x" + n + ": " + tokens + " token requests, "
                        + Report.f1(delta / 1024.0 / n) + " KiB per connection");
                for (AutoCloseable c : held) {
                    c.close();
                }
                previousDelta = delta;
                previousN = n;
            }
        }
        t.note("Heap: used heap after System.gc(), median of " + samples + " samples, before building and after every"
                + " connection has its token (everything kept reachable). 'per connection' includes fixed costs (a"
                + " CamelContext for the Camel rows), so read it at 1000; 'marginal' is the slope from the previous count.");
        t.note("oauth: each connection gets its own camel-http component (its own connection pool), by design: settings of"
                + " the application's http component never apply to credentials.");
    }

    private static String held(String impl) {
        return switch (impl) {
            case "oauth" -> "CamelContext, endpoint + producer per connection, 1 call each";
            case "engine" -> "OAuthConnections, TokenManager per connection, token cached";
            case "camel-oauth2" -> "CamelContext, http endpoint + producer per client, 1 call each";
            case "spring" -> "manager, registration + authorized client per client";
            case "hand" -> "one cache object per client, shared HttpClient";
            default -> "";
        };
    }

    private static void build(String impl, int n, LoopbackServers.Handle servers, List<AutoCloseable> held) throws Exception {
        switch (impl) {
            case "oauth" -> {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add("c" + i);
                }
                CamelHarness h = new CamelHarness(servers, names);
                held.add(h);
                List<Caller> callers = new ArrayList<>();
                for (String name : names) {
                    Caller c = h.oauth(name);
                    c.call();
                    callers.add(c);
                }
                held.add(() -> callers.clear());
            }
            case "engine" -> {
                Map<String, String> props = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    props.putAll(TokenSources.connectionProperties("e" + i, servers.apiBase(), servers.tokenUrl()));
                }
                OAuthConnections connections = OAuthConnections.builder(ConnectionDefinitions.fromProperties(props)).build();
                held.add(connections);
                for (String name : connections.names()) {
                    connections.tokenManager(name).orElseThrow().authorize();
                }
            }
            case "camel-oauth2" -> {
                CamelHarness h = new CamelHarness(servers, List.of());
                held.add(h);
                List<Caller> callers = new ArrayList<>();
                String run = Long.toHexString(System.nanoTime());
                for (int i = 0; i < n; i++) {
                    Caller c = h.camelOAuth2("many-" + run + "-" + i);
                    c.call();
                    callers.add(c);
                }
                held.add(() -> callers.clear());
            }
            case "spring" -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ids.add("s" + i);
                }
                TokenSources.Spring spring = new TokenSources.Spring(servers.tokenUrl(), ids);
                List<TokenSource> sources = new ArrayList<>();
                for (String id : ids) {
                    TokenSource s = spring.source(id);
                    s.authorizationHeader();
                    sources.add(s);
                }
                held.add(() -> sources.clear());
                held.add(() -> spring.manager.toString());
            }
            case "hand" -> {
                var http = TokenSources.HandWritten.newHttpClient();
                List<TokenSource> sources = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    TokenSource s = new TokenSources.HandWritten(http, servers.tokenUrl(), "h" + i, "secret");
                    s.authorizationHeader();
                    sources.add(s);
                }
                held.add(() -> sources.clear());
                held.add(() -> http.toString());
            }
            default -> throw new IllegalArgumentException(impl);
        }
    }

    static long usedHeapAfterGc(int samples) {
        long[] used = new long[samples];
        for (int i = 0; i < samples; i++) {
            System.gc();
            Load.sleepQuietly(100);
            used[i] = MEMORY.getHeapMemoryUsage().getUsed();
        }
        Arrays.sort(used);
        return used[samples / 2];
    }
}
