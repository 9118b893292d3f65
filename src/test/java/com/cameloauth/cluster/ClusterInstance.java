package com.cameloauth.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.cameloauth.connection.ConnectionDefinitions;
import com.cameloauth.connection.OAuthSettings;
import com.cameloauth.observe.OAuthMetrics;
import com.cameloauth.token.OAuthConnections;
import com.cameloauth.token.TokenEvent;
import com.cameloauth.token.TokenManager;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;

/**
 * One instance of a cluster, run in its own JVM by {@link Instances}: one engine with one client-credentials
 * connection, configured the way a user would ({@code oauth.*} properties, {@code oauth.store.type=redis} or memory),
 * driven by commands on stdin, answering one line each on stdout.
 * <ul>
 * <li>{@code window <k>}: sets the engine's clock to the start of expiry window k (window k+1 starts after every token
 * of window k has expired), then {@code threads} threads each call {@code authorize()} {@code calls} times at once;
 * answers {@code done <k> calls=<n> failures=<n> p99us=<n> tokens=<fingerprints> storeUnavailable=<events>
 * storeAvailable=<gauge>}.</li>
 * <li>{@code run <k> <millis>}: with the system clock, the threads call {@code authorize()} in a loop for millis;
 * answers as {@code window}.</li>
 * <li>{@code quit}: closes the engine and exits.</li>
 * </ul>
 * Arguments are {@code key=value}: tokenUrl, store ({@code memory} or a Redis URL), key (the encryption key), threads,
 * calls, requestTimeout, storeTimeout ({@code oauth.store.redis.timeout}), clock ({@code window} or {@code system}).
 */
public final class ClusterInstance {
    /** The window clock: window k starts at BASE + k * WINDOW; tokens live {@link #LIFETIME_SECONDS} s. */
    static final long BASE = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
    public static final long LIFETIME_SECONDS = 300;
    /** Twice the lifetime: a slow window (a loaded machine) still ends long before its token's refresh point. */
    static final long WINDOW = 2 * LIFETIME_SECONDS * 1000;

    private ClusterInstance() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        WindowClock windowClock = new WindowClock();
        Clock clock = a.getOrDefault("clock", "window").equals("window") ? windowClock : Clock.systemUTC();
        Map<String, String> p = new HashMap<>();
        p.put("oauth.connections.api.policy", "client-credentials");
        p.put("oauth.connections.api.base-url", "http://127.0.0.1:9/api");
        p.put("oauth.connections.api.token-url", a.get("tokenUrl"));
        p.put("oauth.connections.api.client-id", "cluster-client");
        p.put("oauth.connections.api.client-secret", "cluster-secret");
        p.put("oauth.connections.api.allow-insecure", "true");
        p.put("oauth.connections.api.request-timeout", a.getOrDefault("requestTimeout", "5s"));
        p.put("oauth.connections.api.max-attempts", "1");
        if (!a.get("store").equals("memory")) {
            p.put("oauth.store.type", "redis");
            p.put("oauth.store.redis.url", a.get("store"));
            p.put("oauth.store.encryption-key", a.get("key"));
            p.put("oauth.store.redis.timeout", a.getOrDefault("storeTimeout", "500ms"));
        }
        OAuthSettings settings = ConnectionDefinitions.loadSettings(List.of(new PropertiesConfigSource(p, "cluster", 250)));
        int threads = Integer.parseInt(a.getOrDefault("threads", "32"));
        int calls = Integer.parseInt(a.getOrDefault("calls", "200"));
        AtomicInteger storeUnavailable = new AtomicInteger();
        try (OAuthConnections engine = OAuthConnections.builder(settings.connections()).store(settings.store())
                .clock(clock).build()) {
            engine.addListener(e -> {
                if (e.type() == TokenEvent.Type.STORE_UNAVAILABLE) {
                    storeUnavailable.incrementAndGet();
                }
            });
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new OAuthMetrics(engine, clock).bindTo(registry);
            TokenManager manager = engine.tokenManager("api").orElseThrow();
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] command = line.split(" ");
                int k = Integer.parseInt(command[1]);
                long runMillis = command[0].equals("run") ? Long.parseLong(command[2]) : -1;
                windowClock.startWindow(k);
                Result r = call(manager, threads, calls, runMillis);
                double available = registry.get("oauth.store.available").gauge().value();
                System.out.println("done " + k + " calls=" + r.calls + " failures=" + r.failures + " p99us=" + r.p99Micros
                        + " tokens=" + String.join(",", r.tokens) + " storeUnavailable=" + storeUnavailable.get()
                        + " storeAvailable=" + (int) available);
                System.out.flush();
            }
        }
    }

    private record Result(long calls, long failures, long p99Micros, Set<String> tokens) {
    }

    /** {@code threads} threads call at once, {@code calls} times each or, if runMillis >= 0, for that long. */
    private static Result call(TokenManager manager, int threads, int calls, long runMillis) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        AtomicInteger failures = new AtomicInteger();
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            workers[t] = new Thread(() -> {
                long[] mine = new long[runMillis < 0 ? calls : 1 << 16];
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long until = System.nanoTime() + Math.max(0, runMillis) * 1_000_000;
                int n = 0;
                while (runMillis < 0 ? n < calls : System.nanoTime() < until) {
                    long t0 = System.nanoTime();
                    try {
                        tokens.add(manager.authorize().token().fingerprint());
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    long took = System.nanoTime() - t0;
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, mine.length * 2);
                    }
                    mine[n++] = took;
                }
                latencies[me] = Arrays.copyOf(mine, n);
                counts[me] = n;
            }, "caller-" + t);
            workers[t].start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long total = Arrays.stream(counts).asLongStream().sum();
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        long p99 = all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1000;
        return new Result(total, failures.get(), p99, new TreeSet<>(tokens));
    }

    /** Window k's time runs from BASE + k * WINDOW at the pace of the wall clock. */
    static final class WindowClock extends Clock {
        private volatile long startMillis = BASE;
        private volatile long startNanos = System.nanoTime();

        void startWindow(int k) {
            startNanos = System.nanoTime();
            startMillis = BASE + k * WINDOW;
        }

        @Override
        public long millis() {
            return startMillis + (System.nanoTime() - startNanos) / 1_000_000;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
