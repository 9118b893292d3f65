package com.cameloauth.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The token server and the API, on loopback, in a child JVM of their own so that their CPU, heap and allocations stay
 * out of the harness's profile and heap figures. Vert.x on one event loop: the token delay is a timer, so a storm of
 * token requests costs the server no threads.
 * <ul>
 * <li>{@code POST /token} on the token port: counts, waits {@code delayMs}, answers
 * {@code {"access_token":"tok-N","token_type":"Bearer","expires_in":E}}.</li>
 * <li>{@code GET /api/**} on the API port: 200 {@code {"ok":true}} when a Bearer credential is present, else 401.</li>
 * <li>{@code /admin/config?expiresIn=S&delayMs=D}, {@code /admin/reset}, {@code /admin/stats} on the token port.</li>
 * </ul>
 * The child exits when its standard input closes, so it never outlives the harness.
 */
public final class LoopbackServers {

    private LoopbackServers() {
    }

    /** Child process entry point. */
    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setBlockedThreadCheckInterval(60_000));
        AtomicLong tokens = new AtomicLong();
        AtomicLong api = new AtomicLong();
        AtomicLong unauthorized = new AtomicLong();
        long[] config = { 3600, 0 }; // expiresIn seconds, delay ms; touched on the event loop only
        List<Long> tokenTimes = new ArrayList<>(); // epoch ms of each token request since reset; event loop only

        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setAcceptBacklog(4096)
                .setIdleTimeout(0).setTcpNoDelay(true);
        HttpServer tokenServer = vertx.createHttpServer(options).requestHandler(req -> {
            String path = req.path();
            if (path.equals("/token")) {
                long n = tokens.incrementAndGet();
                if (tokenTimes.size() < 100_000) {
                    tokenTimes.add(System.currentTimeMillis());
                }
                long expiresIn = config[0];
                long delay = config[1];
                req.body().onComplete(ignored -> {
                    String body = "{\"access_token\":\"tok-" + n + "-" + Long.toHexString(System.nanoTime())
                            + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}";
                    if (delay > 0) {
                        vertx.setTimer(delay, t -> json(req, 200, body));
                    } else {
                        json(req, 200, body);
                    }
                });
            } else if (path.equals("/admin/config")) {
                if (req.getParam("expiresIn") != null) {
                    config[0] = Long.parseLong(req.getParam("expiresIn"));
                }
                if (req.getParam("delayMs") != null) {
                    config[1] = Long.parseLong(req.getParam("delayMs"));
                }
                json(req, 200, "{}");
            } else if (path.equals("/admin/reset")) {
                tokens.set(0);
                api.set(0);
                unauthorized.set(0);
                tokenTimes.clear();
                json(req, 200, "{}");
            } else if (path.equals("/admin/stats")) {
                StringBuilder times = new StringBuilder();
                for (Long t : tokenTimes) {
                    times.append(times.length() == 0 ? "" : ",").append(t);
                }
                json(req, 200, "{\"tokens\":" + tokens.get() + ",\"api\":" + api.get() + ",\"unauthorized\":"
                        + unauthorized.get() + ",\"tokenTimes\":[" + times + "]}");
            } else {
                json(req, 404, "{}");
            }
        });
        HttpServer apiServer = vertx.createHttpServer(options).requestHandler(req -> {
            String auth = req.getHeader("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                unauthorized.incrementAndGet();
                req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
                return;
            }
            api.incrementAndGet();
            json(req, 200, "{\"ok\":true}");
        });
        tokenServer.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        apiServer.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("PORTS token=" + tokenServer.actualPort() + " api=" + apiServer.actualPort());
        System.out.flush();
        // Exit when the harness goes away (its end of our stdin closes).
        while (System.in.read() != -1) {
            // nothing to read; block
        }
        vertx.close();
        System.exit(0);
    }

    private static void json(HttpServerRequest req, int status, String body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    /** The harness's handle on the child process. */
    public static final class Handle implements AutoCloseable {
        private final Process process;
        public final int tokenPort;
        public final int apiPort;
        private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private Handle(Process process, int tokenPort, int apiPort) {
            this.process = process;
            this.tokenPort = tokenPort;
            this.apiPort = apiPort;
        }

        /** Starts the servers in a child JVM on the harness's own classpath. */
        public static Handle start() throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dvertx.disableDnsResolver=true", "-cp", System.getProperty("java.class.path"),
                    LoopbackServers.class.getName());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PORTS ")) {
                    String[] parts = line.substring(6).split(" ");
                    int token = Integer.parseInt(parts[0].substring("token=".length()));
                    int api = Integer.parseInt(parts[1].substring("api=".length()));
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // drop
                            }
                        } catch (IOException ignored) {
                            // child gone
                        }
                    }, "loopback-servers-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return new Handle(p, token, api);
                }
            }
            p.destroyForcibly();
            throw new IOException("the loopback servers did not start");
        }

        public String tokenUrl() {
            return "http://127.0.0.1:" + tokenPort + "/token";
        }

        public String apiBase() {
            return "http://127.0.0.1:" + apiPort + "/api";
        }

        public void configure(long expiresInSeconds, long delayMs) {
            get("/admin/config?expiresIn=" + expiresInSeconds + "&delayMs=" + delayMs);
        }

        public void reset() {
            get("/admin/reset");
        }

        public Stats stats() {
            return Stats.parse(get("/admin/stats"));
        }

        /** One token round trip as a client sees it (median of several). */
        public double tokenRoundTripMillis(int samples) {
            long[] ns = new long[samples];
            HttpRequest req = HttpRequest.newBuilder(URI.create(tokenUrl()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
            try {
                admin.send(req, HttpResponse.BodyHandlers.ofString());
                for (int i = 0; i < samples; i++) {
                    long t0 = System.nanoTime();
                    admin.send(req, HttpResponse.BodyHandlers.ofString());
                    ns[i] = System.nanoTime() - t0;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            java.util.Arrays.sort(ns);
            return ns[samples / 2] / 1e6;
        }

        private String get(String path) {
            try {
                HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tokenPort + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(path + " -> " + r.statusCode());
                }
                return r.body();
            } catch (IOException e) {
                throw new IllegalStateException(path + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    /** Counters since the last reset. */
    public record Stats(long tokens, long api, long unauthorized, long[] tokenTimes) {
        static Stats parse(String json) {
            long tokens = number(json, "tokens");
            long api = number(json, "api");
            long unauthorized = number(json, "unauthorized");
            String arr = json.substring(json.indexOf('[') + 1, json.indexOf(']'));
            long[] times = arr.isBlank() ? new long[0]
                    : java.util.Arrays.stream(arr.split(",")).mapToLong(Long::parseLong).toArray();
            return new Stats(tokens, api, unauthorized, times);
        }

        private static long number(String json, String key) {
            int i = json.indexOf("\"" + key + "\":") + key.length() + 3;
            int j = i;
            while (j < json.length() && Character.isDigit(json.charAt(j))) {
                j++;
            }
            return Long.parseLong(json.substring(i, j));
        }
    }
}
