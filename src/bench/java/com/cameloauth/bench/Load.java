package com.cameloauth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;

import com.cameloauth.bench.CamelHarness.Caller;

/** Closed-loop load: N threads call back to back; latencies go to HdrHistograms in nanoseconds. */
final class Load {
    private Load() {
    }

    static Histogram newHistogram() {
        return new Histogram(Duration.ofMinutes(2).toNanos(), 3);
    }

    /** What one run measured. */
    record Result(long calls, long errors, double seconds, Histogram latency, String firstError) {
        double throughput() {
            return calls / seconds;
        }

        double micros(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }

        Result plus(Result o) {
            Histogram h = latency.copy();
            h.add(o.latency);
            return new Result(calls + o.calls, errors + o.errors, seconds + o.seconds, h,
                    firstError != null ? firstError : o.firstError);
        }
    }

    /** {@code threads} callers for warm-up plus measure; only the measured part is recorded. */
    static Result run(int threads, Duration warmup, Duration measure, Caller caller) throws InterruptedException {
        Histogram[] histograms = new Histogram[threads];
        long[] counts = new long[threads];
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] phases = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            histograms[i] = newHistogram();
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long measureFrom = phases[0];
                long end = phases[1];
                Histogram h = histograms[id];
                long n = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    try {
                        caller.call();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                        sleepQuietly(1);
                        continue;
                    }
                    if (t0 >= measureFrom) {
                        h.recordValue(System.nanoTime() - t0);
                        n++;
                    }
                }
                counts[id] = n;
            }, "bench-caller-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        ready.await();
        long start = System.nanoTime();
        phases[0] = start + warmup.toNanos();
        phases[1] = phases[0] + measure.toNanos();
        go.countDown(); // the latch publishes phases[] to the workers
        for (Thread t : workers) {
            t.join();
        }
        Histogram all = newHistogram();
        for (Histogram h : histograms) {
            all.add(h);
        }
        return new Result(Arrays.stream(counts).sum(), errors.get(), measure.toNanos() / 1e9, all, firstError.get());
    }

    /** Like {@link #run} but keeps every call's start (nanoTime) and latency, for time-bucketed analysis. */
    record Trace(long[] startNanos, long[] latencyNanos, long errors) {
    }

    static Trace trace(int threads, Duration duration, Caller caller) throws InterruptedException {
        long[][] starts = new long[threads][];
        long[][] latencies = new long[threads][];
        int[] sizes = new int[threads];
        AtomicLong errors = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                long[] s = new long[1 << 14];
                long[] l = new long[1 << 14];
                int n = 0;
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= end[0]) {
                        break;
                    }
                    try {
                        caller.call();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        sleepQuietly(1);
                        continue;
                    }
                    long t1 = System.nanoTime();
                    if (n == s.length) {
                        s = Arrays.copyOf(s, n * 2);
                        l = Arrays.copyOf(l, n * 2);
                    }
                    s[n] = t0;
                    l[n] = t1 - t0;
                    n++;
                }
                starts[id] = s;
                latencies[id] = l;
                sizes[id] = n;
            }, "bench-trace-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        end[0] = System.nanoTime() + duration.toNanos();
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }
        int total = Arrays.stream(sizes).sum();
        long[] s = new long[total];
        long[] l = new long[total];
        int at = 0;
        for (int i = 0; i < threads; i++) {
            if (starts[i] == null) {
                continue;
            }
            System.arraycopy(starts[i], 0, s, at, sizes[i]);
            System.arraycopy(latencies[i], 0, l, at, sizes[i]);
            at += sizes[i];
        }
        return new Trace(s, l, errors.get());
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps until System.currentTimeMillis() reaches {@code epochMillis}. */
    static void sleepUntil(long epochMillis) {
        long wait;
        while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
            sleepQuietly(Math.min(wait, 50));
        }
    }
}
