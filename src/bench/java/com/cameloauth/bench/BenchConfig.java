package com.cameloauth.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Options of the harness, each {@code key=value} on the command line ({@code -Dbench.args="measure=5s rounds=3"}).
 * Defaults keep the whole run well under 10 minutes on 2 cores.
 */
public final class BenchConfig {
    static final Map<String, String[]> DEFAULTS = new LinkedHashMap<>();

    static {
        def("only", "overhead,storm,boundary,connections,jmh", "workloads to run, comma separated (also: startup, cluster)");
        def("impls", "plain,oauth,engine,camel-oauth2,spring,hand", "implementations to run where they apply");
        def("out", "target/bench", "folder for results.json and results.md");
        def("httpMethod", "enum", "CamelHttpMethod header as camel-http's HttpMethods enum, or string (\"GET\")");
        def("concurrency", "1,16,64", "overhead: concurrent producers");
        def("warmup", "3s", "overhead: warm-up per implementation, once, at 16 producers");
        def("cellWarmup", "500ms", "overhead: warm-up before each measured cell");
        def("measure", "2s", "overhead: measured time per cell and round");
        def("rounds", "4", "overhead: rounds, in ABBA order");
        def("overhead.stringMethod", "true", "overhead: also measure plain and oauth with CamelHttpMethod as a String");
        def("tokenDelay", "50ms", "token server latency for storm and boundary (a token round trip)");
        def("storm.callers", "256", "storm: concurrent callers released just after expiry");
        def("storm.rounds", "3", "storm: storms per implementation");
        def("storm.expiresIn", "2", "storm: expires_in of the tokens, seconds");
        def("boundary.expiresIn", "4", "boundary: expires_in of the tokens, seconds (each row runs two lifetimes)");
        def("boundary.threads", "16", "boundary: concurrent producers");
        def("boundary.window", "1s", "boundary: width of the window centred on each token request");
        def("connections", "1,10,100,1000", "many connections: counts");
        def("heapSamples", "3", "many connections: heap samples after System.gc(), median taken");
        def("cluster.instances", "1,2,4", "cluster: instances (JVMs), one row each, with and without Redis");
        def("cluster.stores", "redis,memory", "cluster: stores to run (redis: one shared redis-server; memory: none shared)");
        def("cluster.threads", "32", "cluster: calling threads per instance");
        def("cluster.run", "10s", "cluster: measured time per row (after a 2 s warm-up)");
        def("cluster.expiresIn", "2", "cluster: expires_in of the tokens, seconds");
        def("jmh.warmup", "3", "JMH warm-up iterations");
        def("jmh.iterations", "5", "JMH measurement iterations");
        def("jmh.time", "1s", "JMH time per iteration");
        def("jmh.forks", "1", "JMH forks");
        def("jmh.threads", "1,2", "JMH thread counts, one run each");
        def("startup.runs", "5", "startup: starts of each packaged app, alternating");
        def("startup.warmup", "1", "startup: unmeasured starts of each app before the measured ones");
        def("startup.settle", "5s", "startup: second RSS reading this long after the first completed call");
        def("startup.timeout", "60s", "startup: give up on a start after this long");
        def("startup.build", "true", "startup: build target/quarkus-app when missing or stale (else fail with the command)");
    }

    private static void def(String key, String value, String help) {
        DEFAULTS.put(key, new String[] { value, help });
    }

    private final Map<String, String> values = new TreeMap<>();

    BenchConfig(String[] args) {
        DEFAULTS.forEach((k, v) -> values.put(k, v[0]));
        for (String a : args) {
            if (a.isBlank()) {
                continue;
            }
            int eq = a.indexOf('=');
            if (eq < 0 || !DEFAULTS.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown option '" + a + "'; options:\n" + help());
            }
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    static String help() {
        StringBuilder sb = new StringBuilder();
        DEFAULTS.forEach((k, v) -> sb.append(String.format("  %-18s %-40s %s%n", k, v[0], v[1])));
        return sb.toString();
    }

    String get(String key) {
        return values.get(key);
    }

    int integer(String key) {
        return Integer.parseInt(get(key).trim());
    }

    List<Integer> integers(String key) {
        return Arrays.stream(get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    }

    Set<String> set(String key) {
        return Set.copyOf(Arrays.stream(get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    Duration duration(String key) {
        String v = get(key).trim().toLowerCase();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }

    Map<String, String> all() {
        return values;
    }
}
