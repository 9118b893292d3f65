package com.cameloauth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cameloauth.cluster.ClusterInstance;
import com.cameloauth.cluster.CountingTokenServer;
import com.cameloauth.cluster.Instances;
import com.cameloauth.cluster.Instances.Reply;
import com.cameloauth.testsupport.redis.RedisServer;

/**
 * Cluster: 1, 2 and 4 instances, each its own JVM ({@link ClusterInstance}) with 32 threads calling
 * {@code TokenManager.authorize()} in a loop for a fixed time, against one token endpoint with short-lived tokens.
 * With {@code oauth.store.type=redis} (one redis-server for all) and with each instance on its own memory store.
 * Reports the token requests the endpoint counted during the measured time and the p99 of one call (the worst
 * instance's).
 */
final class ClusterWorkload {
    private ClusterWorkload() {
    }

    static void run(BenchConfig config, Report report) throws Exception {
        List<Integer> sizes = config.integers("cluster.instances");
        int threads = config.integer("cluster.threads");
        long runMillis = config.duration("cluster.run").toMillis();
        long expiresIn = config.integer("cluster.expiresIn");
        long delayMs = config.duration("tokenDelay").toMillis();
        Report.Table t = report.table("cluster", "Cluster: N instances (JVMs) x " + threads + " threads, tokens of "
                + expiresIn + " s, " + runMillis / 1000 + " s measured", "instances", "store", "token requests",
                "per instance", "calls", "p99 per call ns", "p99.9 ns", "failed calls");
        List<Map<String, Object>> json = new ArrayList<>();
        report.section("cluster").put("rows", json);
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String key = Base64.getEncoder().encodeToString(raw);
        Path logs = Files.createTempDirectory("bench-cluster-");
        try (RedisServer redis = RedisServer.start()) {
            for (String store : config.get("cluster.stores").split(",")) {
                for (int n : sizes) {
                    redis.cli("FLUSHALL");
                    try (CountingTokenServer server = CountingTokenServer.startWithDelay(expiresIn, delayMs);
                            Instances cluster = Instances.start(n, logs, "tokenUrl=" + server.tokenUrl(),
                                    "store=" + (store.equals("redis") ? redis.url() : "memory"), "key=" + key,
                                    "threads=" + threads, "clock=system", "storeTimeout=500ms")) {
                        cluster.sendAll("run 0 2000", Duration.ofSeconds(60));
                        int before = server.requests();
                        List<Reply> replies = cluster.sendAll("run 1 " + runMillis, Duration.ofMillis(runMillis + 60_000));
                        int requests = server.requests() - before;
                        long calls = replies.stream().mapToLong(Reply::calls).sum();
                        long failures = replies.stream().mapToLong(Reply::failures).sum();
                        long p99 = replies.stream().mapToLong(Reply::p99Nanos).max().orElse(0);
                        long p999 = replies.stream().mapToLong(Reply::p999Nanos).max().orElse(0);
                        t.row(n, store, requests, Report.f1((double) requests / n), calls, p99, p999, failures);
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("instances", n);
                        row.put("store", store);
                        row.put("tokenRequests", requests);
                        row.put("calls", calls);
                        row.put("p99Nanos", p99);
                        row.put("p999Nanos", p999);
                        row.put("failures", failures);
                        json.add(row);
                        if (failures > 0) {
                            for (int i = 0; i < n; i++) {
                                BenchMain.log("instance " + i + ": " + cluster.log(i).lines()
                                        .filter(l -> l.startsWith("call failed")).toList());
                            }
                        }
                        BenchMain.log("cluster: " + n + " instance(s), " + store + ": " + requests + " token requests, p99 "
                                + p99 + " ns, p99.9 " + p999 + " ns, " + failures + " failed calls");
                    }
                }
            }
        }
        t.note("A token lives " + expiresIn + " s and is refreshed in the background about a fifth of its lifetime"
                + " before expiry; the token endpoint answers after " + delayMs + " ms. With Redis the instances share"
                + " one token request per refresh; with memory stores each instance makes its own.");
    }
}
