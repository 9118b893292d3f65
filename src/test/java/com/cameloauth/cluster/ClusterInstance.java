package com.cameloauth.cluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import com.cameloauth.token.Authorization;
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
 * answers {@code done <k> calls=<n> failures=<n> p99ns=<n> p999ns=<n> tokens=<fingerprints> storeUnavailable=<events>
 * storeAvailable=<gauge>}.</li>
 * <li>{@code run <k> <millis>}: with the system clock, the threads call {@code authorize()} in a loop for millis;
 * answers as {@code window}.</li>
 * <li>{@code quit}: closes the engine and exits.</li>
 * </ul>
 * Arguments are {@code key=value}: tokenUrl, store ({@code memory} or a Redis URL), key (the encryption key), threads,
 * calls, requestTimeout, storeTimeout ({@code oauth.store.redis.timeout}), clock ({@code window} or {@code system});
 * policy, clientId, clientSecret, username, password, scopes for another connection; checkUrl: after each window, GET
 * it with the current token and add {@code check=<status>} to the answer.
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
        p.put("oauth.connections.api.policy", a.getOrDefault("policy", "client-credentials"));
        p.put("oauth.connections.api.base-url", "http://127.0.0.1:9/api");
        p.put("oauth.connections.api.token-url", a.get("tokenUrl"));
        p.put("oauth.connections.api.client-id", a.getOrDefault("clientId", "cluster-client"));
        p.put("oauth.connections.api.client-secret", a.getOrDefault("clientSecret", "cluster-secret"));
        for (String key : List.of("username", "password", "scopes")) {
            if (a.containsKey(key)) {
                p.put("oauth.connections.api." + key, a.get(key));
            }
        }
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
                String check = a.containsKey("checkUrl") ? " check=" + check(a.get("checkUrl"), manager) : "";
                System.out.println("done " + k + " calls=" + r.calls + " failures=" + r.failures + " p99ns=" + r.p99Nanos
                        + " p999ns=" + r.p999Nanos + " tokens=" + String.join(",", r.tokens)
                        + " storeUnavailable=" + storeUnavailable.get() + " storeAvailable=" + (int) available + check);
                System.out.flush();
            }
        }
    }

    /** The status of a GET of {@code url} with the current token: does the authorization server accept it? */
    private static int check(String url, TokenManager manager) {
        try {
            Authorization authorization = manager.authorize();
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header(authorization.headerName(), authorization.headerValue()).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private record Result(long calls, long failures, long p99Nanos, long p999Nanos, Set<String> tokens) {
    }

    /** {@code threads} threads call at once, {@code calls} times each or, if runMillis >= 0, for that long. */
    private static Result call(TokenManager manager, int threads, int calls, long runMillis) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        long[][] histograms = new long[threads][];
        AtomicInteger failures = new AtomicInteger();
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            workers[t] = new Thread(() -> {
                long[] histogram = new long[Latencies.BUCKETS];
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
                        if (failures.incrementAndGet() <= 3) {
                            System.err.println("call failed: " + e); // the engine's messages carry no secret
                        }
                    }
                    histogram[Latencies.bucket(System.nanoTime() - t0)]++;
                    n++;
                }
                histograms[me] = histogram;
            }, "caller-" + t);
            workers[t].start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long[] all = new long[Latencies.BUCKETS];
        for (long[] h : histograms) {
            for (int i = 0; i < all.length; i++) {
                all[i] += h[i];
            }
        }
        long total = Arrays.stream(all).sum();
        return new Result(total, failures.get(), Latencies.percentile(all, 0.99),
                Latencies.percentile(all, 0.999), new TreeSet<>(tokens));
    }

    /** A log-linear histogram of nanoseconds (16 sub-buckets per power of two: within 7%), without allocation. */
    static final class Latencies {
        static final int BUCKETS = 64 * 16;

        static int bucket(long nanos) {
            long v = Math.max(0, nanos);
            if (v < 16) {
                return (int) v;
            }
            int e = 63 - Long.numberOfLeadingZeros(v);
            return (e - 3) * 16 + (int) ((v >> (e - 4)) & 15);
        }

        /** The highest value of bucket {@code i}. */
        static long upper(int i) {
            if (i < 16) {
                return i;
            }
            int e = i / 16 + 3;
            long sub = i % 16;
            return ((16 + sub + 1) << (e - 4)) - 1;
        }

        static long percentile(long[] histogram, double p) {
            long total = Arrays.stream(histogram).sum();
            long rank = (long) Math.ceil(total * p);
            long seen = 0;
            for (int i = 0; i < histogram.length; i++) {
                seen += histogram[i];
                if (seen >= rank && seen > 0) {
                    return upper(i);
                }
            }
            return 0;
        }
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
