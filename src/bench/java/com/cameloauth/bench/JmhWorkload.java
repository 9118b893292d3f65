package com.cameloauth.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link FastPathBenchmark} with JMH's GC profiler (allocations per operation), once per thread count. */
final class JmhWorkload {
    private JmhWorkload() {
    }

    static void run(BenchConfig config, Report report) throws Exception {
        Report.Table t = report.table("jmh", "JMH: cached-token fast path (-prof gc)", "benchmark", "threads", "ns/op",
                "+/- ns/op", "B/op (gc.alloc.rate.norm)", "GC count");
        Map<String, Object> json = report.section("jmh");
        long time = config.duration("jmh.time").toMillis();
        for (int threads : config.integers("jmh.threads")) {
            Options options = new OptionsBuilder()
                    .include(FastPathBenchmark.class.getName() + ".")
                    .warmupIterations(config.integer("jmh.warmup"))
                    .measurementIterations(config.integer("jmh.iterations"))
                    .warmupTime(TimeValue.milliseconds(time))
                    .measurementTime(TimeValue.milliseconds(time))
                    .forks(config.integer("jmh.forks"))
                    .threads(threads)
                    .jvmArgs("-Xms512m", "-Xmx512m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(true)
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            for (RunResult r : results) {
                String name = r.getParams().getBenchmark();
                name = name.substring(name.lastIndexOf('.') + 1);
                Result<?> primary = r.getPrimaryResult();
                double alloc = secondary(r, "gc.alloc.rate.norm");
                double gcCount = secondary(r, "gc.count");
                t.row(name, threads, Report.f2(primary.getScore()), Report.f2(primary.getScoreError()), Report.f2(alloc),
                        Double.isNaN(gcCount) ? "" : Report.f0(gcCount));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("nsPerOp", primary.getScore());
                m.put("nsPerOpError", primary.getScoreError());
                m.put("bytesPerOp", alloc);
                m.put("gcCount", gcCount);
                json.put(name + "-t" + threads, m);
                if (name.equals("tokenManagerAuthorize")) {
                    report.target("jmh", threads + " thread(s): TokenManager.authorize() allocates nothing on a warm cache",
                            Report.f2(alloc) + " B/op, " + Report.f1(primary.getScore()) + " ns/op", alloc < 0.5);
                }
            }
        }
        t.note("No lock on the fast path, by construction: TokenManager.authorize() reads an AtomicReference and the"
                + " clock and returns a precomputed Authorization (the hand-written cache's fast path is a volatile read"
                + " too; its lock is only taken to refresh). B/op below ~0.5 is JMH's measurement noise, i.e. no"
                + " allocation. With 2 threads on 2 shared cores, ns/op is mostly the machine's noise: see the error.");
    }

    private static double secondary(RunResult r, String suffix) {
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith(suffix)) {
                return e.getValue().getScore();
            }
        }
        return Double.NaN;
    }
}
