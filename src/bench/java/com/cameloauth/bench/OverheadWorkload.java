package com.cameloauth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cameloauth.bench.CamelHarness.Caller;

/**
 * Overhead with a cached token: throughput and latency of each implementation against plain camel-http with a fixed
 * Authorization header, at several counts of concurrent producers. Implementations alternate within each round, so
 * that a burst of load from elsewhere on the machine hits them alike.
 */
final class OverheadWorkload {
    static final List<String> IMPLS = List.of("plain", "oauth", "engine", "camel-oauth2", "spring", "hand");

    private OverheadWorkload() {
    }

    static void run(BenchConfig config, LoopbackServers.Handle servers, Report report) throws Exception {
        List<String> impls = IMPLS.stream().filter(config.set("impls")::contains).toList();
        if (!impls.contains("plain")) {
            throw new IllegalArgumentException("the overhead workload needs impls to include plain (the baseline)");
        }
        List<Integer> concurrency = config.integers("concurrency");
        Duration warmup = config.duration("warmup");
        Duration cellWarmup = config.duration("cellWarmup");
        Duration measure = config.duration("measure");
        int rounds = config.integer("rounds");
        servers.configure(3600, 0);
        Map<String, Map<Integer, Load.Result>> results = new LinkedHashMap<>();
        long tokensDuringMeasure;
        long unauthorized;
        try (CamelHarness h = new CamelHarness(servers, List.of("overhead"))) {
            Map<String, Caller> callers = new LinkedHashMap<>();
            for (String impl : impls) {
                Caller c = h.caller(impl, "overhead");
                c.call(); // first token
                callers.put(impl, c);
            }
            for (String impl : impls) {
                BenchMain.log("overhead: warm-up " + impl);
                Load.run(16, Duration.ZERO, warmup, callers.get(impl));
            }
            servers.reset();
            for (int n : concurrency) {
                for (int r = 0; r < rounds; r++) {
                    List<String> order = new ArrayList<>(impls);
                    java.util.Collections.rotate(order, r); // alternate who goes first
                    for (String impl : order) {
                        Load.Result res = Load.run(n, cellWarmup, measure, callers.get(impl));
                        results.computeIfAbsent(impl, k -> new LinkedHashMap<>()).merge(n, res, Load.Result::plus);
                        BenchMain.log(String.format("overhead: %-12s %3d producers round %d: %8.0f calls/s p50 %6.1f us p99 %7.1f us%s",
                                impl, n, r + 1, res.throughput(), res.micros(50), res.micros(99),
                                res.errors() > 0 ? " errors " + res.errors() + " " + res.firstError() : ""));
                    }
                }
            }
            LoopbackServers.Stats stats = servers.stats();
            tokensDuringMeasure = stats.tokens();
            unauthorized = stats.unauthorized();
        }

        Report.Table t = report.table("overhead", "Overhead with a cached token (GET through camel-http, ProducerTemplate)",
                "implementation", "producers", "calls/s", "% of plain", "p50 us", "p99 us", "p50 added us", "p99 added us",
                "errors");
        Map<String, Object> json = report.section("overhead");
        for (int n : concurrency) {
            Load.Result plain = results.get("plain").get(n);
            for (String impl : impls) {
                Load.Result res = results.get(impl).get(n);
                double pct = 100.0 * res.throughput() / plain.throughput();
                double added50 = res.micros(50) - plain.micros(50);
                double added99 = res.micros(99) - plain.micros(99);
                t.row(CamelHarness.LABELS.get(impl), n, Report.f0(res.throughput()),
                        impl.equals("plain") ? "100" : Report.f1(pct), Report.f1(res.micros(50)), Report.f1(res.micros(99)),
                        impl.equals("plain") ? "" : Report.f1(added50), impl.equals("plain") ? "" : Report.f1(added99),
                        res.errors());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("calls", res.calls());
                m.put("seconds", res.seconds());
                m.put("throughput", res.throughput());
                m.put("percentOfPlain", pct);
                m.put("p50us", res.micros(50));
                m.put("p90us", res.micros(90));
                m.put("p99us", res.micros(99));
                m.put("p999us", res.micros(99.9));
                m.put("maxus", res.latency().getMaxValue() / 1000.0);
                m.put("p50AddedUs", added50);
                m.put("p99AddedUs", added99);
                m.put("errors", res.errors());
                ((Map<String, Object>) json.computeIfAbsent(impl, k -> new LinkedHashMap<String, Object>())).put(String.valueOf(n), m);
                if (impl.equals("oauth")) {
                    report.target("overhead", n + " producers: oauth: throughput >= 97% of plain", Report.f1(pct) + "%",
                            pct >= 97.0);
                    report.target("overhead", n + " producers: oauth: <= 15 us added at p50", Report.f1(added50) + " us",
                            added50 <= 15.0);
                }
            }
        }
        json.put("tokenRequestsDuringMeasurement", tokensDuringMeasure);
        json.put("unauthorized", unauthorized);
        t.note(rounds + " round(s) of " + measure.toMillis() + " ms per cell (after " + cellWarmup.toMillis()
                + " ms warm-up), implementations alternating; figures merge the rounds. Token lifetime 1 h: "
                + tokensDuringMeasure + " token requests during measurement, " + unauthorized + " API 401s.");
        t.note("Closed loop: each producer sends its next call when the last one returns. camel-http defaults everywhere"
                + " (20 pooled connections per route), so at 64 producers calls also queue for a connection.");
    }
}
