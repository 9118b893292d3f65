package com.cameloauth.testsupport.keycloak;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist}, unpacked into {@code target/keycloak} by the build at
 * {@code pre-integration-test}) started once per JVM with the {@code camel-oauth} realm of
 * {@code src/test/resources/keycloak/camel-oauth-realm.json}.
 *
 * <p>Use {@link #get()} (or {@link KeycloakExtension}, or {@link KeycloakTestResource} in a {@code @QuarkusTest}).
 * The server is stopped by a JVM shutdown hook; {@link #close()} stops it earlier. Only tests run by failsafe
 * ({@code *IT}) can use it: the archive is unpacked after the unit tests. Keycloak's output goes to
 * {@code target/keycloak/keycloak.log}.
 *
 * <p>Several class loaders in one JVM (a {@code @QuarkusTest} loads test classes in its own) share one server: the
 * owner publishes its URLs in system properties and the others attach to it.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "camel-oauth";
    /** Class path resource imported at start. */
    public static final String REALM_RESOURCE = "/keycloak/camel-oauth-realm.json";

    /** Bootstrap admin of the master realm (password grant through {@code admin-cli}). */
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin-password";

    /** Confidential, client credentials only; its service account has {@code realm-management/view-users}. */
    public static final String ORDERS_CLIENT_ID = "orders-service";
    public static final String ORDERS_CLIENT_SECRET = "orders-service-secret";
    /** Confidential, client credentials only; service account without roles (403 on the admin API). */
    public static final String NO_ROLE_CLIENT_ID = "no-role-service";
    public static final String NO_ROLE_CLIENT_SECRET = "no-role-service-secret";
    /** Confidential, standard token exchange (V2) enabled; in the audience of orders-service and web-app tokens. */
    public static final String EXCHANGE_CLIENT_ID = "exchange-service";
    public static final String EXCHANGE_CLIENT_SECRET = "exchange-service-secret";
    /** Public, authorization code with PKCE S256 required. */
    public static final String WEB_APP_CLIENT_ID = "web-app";
    /** Confidential, authorization code with refresh tokens. */
    public static final String WEB_APP_CONFIDENTIAL_CLIENT_ID = "web-app-confidential";
    public static final String WEB_APP_CONFIDENTIAL_CLIENT_SECRET = "web-app-confidential-secret";
    /** Registered for both web apps; Keycloak matches it for any loopback port. */
    public static final String REDIRECT_URI = "http://127.0.0.1/oauth/callback";

    public static final String USER_USERNAME = "alice";
    public static final String USER_PASSWORD = "alice-password";

    /**
     * Features the tests rely on, named explicitly: the JWT Authorization Grant (RFC 7523 2.1, JwtBearerKeycloakIT).
     * Keycloak 26.7.3 enables it by default (earlier 26.x guides call it a preview that needs this flag); naming it
     * costs nothing, start-dev builds at every start anyway, and keeps the IT working on a Keycloak where it is not.
     */
    public static final String FEATURES = "jwt-authorization-grant";

    /** Access token lifespan of the realm. */
    public static final Duration ACCESS_TOKEN_LIFESPAN = Duration.ofSeconds(300);
    /** Generous: 40-50 s on an idle machine, but up to 7 min was seen under a load average of 30 (other builds beside). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(420);

    private static final String PROP_BASE_URL = "cameloauth.keycloak.base-url";
    private static final String PROP_MANAGEMENT_URL = "cameloauth.keycloak.management-url";
    /**
     * String literals are interned JVM-wide, so this lock is shared by every class loader that loads this class.
     */
    private static final Object JVM_LOCK = "com.cameloauth.testsupport.keycloak.KeycloakServer#JVM_LOCK";
    private static final int LOG_TAIL_LINES = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer instance;
    private static IllegalStateException startFailure;

    private final String baseUrl;
    private final String managementUrl;
    private final Process process; // null when attached to a server another class loader started
    private final Path logFile;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private KeycloakServer(String baseUrl, String managementUrl, Process process, Path logFile) {
        this.baseUrl = baseUrl;
        this.managementUrl = managementUrl;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = process == null ? null : new Thread(this::stopProcess, "keycloak-shutdown");
    }

    /** The server of this JVM, started on first use (up to {@link #START_TIMEOUT}). */
    public static KeycloakServer get() {
        synchronized (JVM_LOCK) {
            if (instance != null && instance.isUsable()) {
                return instance;
            }
            if (startFailure != null) {
                throw new IllegalStateException("Keycloak failed to start earlier in this JVM", startFailure);
            }
            String published = System.getProperty(PROP_BASE_URL);
            if (published != null) {
                instance = new KeycloakServer(published, System.getProperty(PROP_MANAGEMENT_URL), null, defaultLogFile());
                return instance;
            }
            try {
                instance = start();
            } catch (IllegalStateException e) {
                startFailure = e;
                throw e;
            }
            return instance;
        }
    }

    // ---- addresses ----

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code http://127.0.0.1:MANAGEMENT_PORT} (health, metrics). */
    public String managementUrl() {
        return managementUrl;
    }

    public String realm() {
        return REALM;
    }

    public String issuer() {
        return baseUrl + "/realms/" + REALM;
    }

    public String discoveryUrl() {
        return issuer() + "/.well-known/openid-configuration";
    }

    public String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String authorizationUrl() {
        return issuer() + "/protocol/openid-connect/auth";
    }

    public String introspectionUrl() {
        return issuer() + "/protocol/openid-connect/token/introspect";
    }

    public String revocationUrl() {
        return issuer() + "/protocol/openid-connect/revoke";
    }

    /** {@code /admin/realms/camel-oauth}: a protected API ({@code /users} needs {@code view-users}). */
    public String adminApiUrl() {
        return baseUrl + "/admin/realms/" + REALM;
    }

    public Path logFile() {
        return logFile;
    }

    // ---- helpers for tests ----

    /** A client credentials access token of {@link #REALM}; fails unless the token endpoint answers 200. */
    public String clientCredentialsToken(String clientId, String clientSecret) {
        HttpResponse<String> response = postForm(tokenUrl(), Map.of(
                "grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret));
        return accessToken(response, "client credentials token of " + clientId);
    }

    /** An access token of the master realm's admin ({@code admin-cli}, password grant). */
    public String adminToken() {
        HttpResponse<String> response = postForm(baseUrl + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli",
                "username", ADMIN_USERNAME, "password", ADMIN_PASSWORD));
        return accessToken(response, "admin token");
    }

    /**
     * {@code POST /admin/realms/camel-oauth/logout-all}: ends every session of the realm and sets the realm's
     * not-before to the current second. Keycloak rejects a token when {@code iat < notBefore}, in whole seconds: a
     * token issued in the same second as this call stays valid. Use {@link #invalidateTokens()} to invalidate
     * every token issued before the call.
     */
    public void logoutAll() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(adminApiUrl() + "/logout-all"))
                .header("Authorization", "Bearer " + adminToken())
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect2xx(response, "logout-all");
    }

    /**
     * Invalidates every access and refresh token of the realm issued before this call; tokens issued after it
     * are valid. Waits for the next wall-clock second (at most about 1 s), then {@link #logoutAll()}.
     *
     * @return the realm's new not-before (epoch seconds)
     */
    public long invalidateTokens() {
        long second = startNextSecond();
        logoutAll();
        long notBefore = admin("GET", adminApiUrl(), null).path("notBefore").asLong();
        if (notBefore < second) {
            throw new IllegalStateException("logout-all set the realm's notBefore to " + notBefore
                    + ", expected at least " + second);
        }
        return notBefore;
    }

    /**
     * Invalidates the access tokens of one client issued before this call (other clients' tokens stay valid) by
     * setting that client's not-before, as the admin console's "Revocation / Set to now" does. Waits for the next
     * wall-clock second first (at most about 1 s).
     *
     * @return the client's new not-before (epoch seconds)
     */
    public long invalidateTokens(String clientId) {
        String id = clientUuid(clientId);
        long notBefore = startNextSecond();
        admin("PUT", adminApiUrl() + "/clients/" + id, "{\"notBefore\":" + notBefore + "}");
        return notBefore;
    }

    /** The internal id of a client of the realm (for {@code /admin/realms/camel-oauth/clients/{id}/...}). */
    public String clientUuid(String clientId) {
        JsonNode clients = admin("GET", adminApiUrl() + "/clients?clientId="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8), null);
        if (!clients.isArray() || clients.isEmpty()) {
            throw new IllegalStateException("No client " + clientId + " in realm " + REALM);
        }
        return clients.get(0).path("id").asText();
    }

    /** Stops the server if this instance started it (an attached instance does nothing). */
    @Override
    public void close() {
        synchronized (JVM_LOCK) {
            if (process != null) {
                stopProcess();
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
                if (baseUrl.equals(System.getProperty(PROP_BASE_URL))) {
                    System.clearProperty(PROP_BASE_URL);
                    System.clearProperty(PROP_MANAGEMENT_URL);
                }
            }
            if (instance == this) {
                instance = null;
            }
        }
    }

    @Override
    public String toString() {
        return "KeycloakServer[" + baseUrl + (process == null ? ", attached" : ", pid " + process.pid()) + "]";
    }

    // ---- start and stop ----

    private static KeycloakServer start() {
        long started = System.nanoTime();
        Path dist = distDir();
        Path log = defaultLogFile();
        stopStaleServer(dist);
        copyRealm(dist);

        int[] ports = freePorts(2);
        String baseUrl = "http://127.0.0.1:" + ports[0];
        String managementUrl = "http://127.0.0.1:" + ports[1];
        ProcessBuilder builder = new ProcessBuilder(
                dist.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + ports[0], "--http-management-port=" + ports[1],
                "--db=dev-mem", "--cache=local", "--health-enabled=true", "--import-realm",
                "--features=" + FEATURES)
                .directory(dist.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // nothing from the caller's environment may reconfigure this Keycloak
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_") || k.startsWith("QUARKUS_"));
        env.remove("JAVA_OPTS");
        env.remove("JAVA_OPTS_APPEND");
        env.remove("JAVA_TOOL_OPTIONS");
        env.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx256m");

        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
            Files.writeString(pidFile(), Long.toString(process.pid()));
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + dist.resolve("bin/kc.sh") + ": " + e, e);
        }
        KeycloakServer server = new KeycloakServer(baseUrl, managementUrl, process, log);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.awaitReady(started + START_TIMEOUT.toNanos());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        System.setProperty(PROP_BASE_URL, baseUrl);
        System.setProperty(PROP_MANAGEMENT_URL, managementUrl);
        System.out.printf("[keycloak] Keycloak started at %s (management %s, pid %d) in %.1f s; log: %s%n",
                baseUrl, managementUrl, process.pid(), (System.nanoTime() - started) / 1e9, log);
        return server;
    }

    private void awaitReady(long deadlineNanos) {
        String[] probes = { managementUrl + "/health/ready", discoveryUrl() };
        int next = 0;
        while (next < probes.length) {
            if (!process.isAlive()) {
                throw failure("Keycloak exited with code " + process.exitValue() + " before it was ready");
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw failure("Keycloak was not ready within " + START_TIMEOUT.toSeconds() + " s (waiting for "
                        + probes[next] + ")");
            }
            if (status(probes[next]) == 200) {
                next++;
                continue;
            }
            try {
                process.waitFor(250, TimeUnit.MILLISECONDS); // returns at once if Keycloak dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("Interrupted while waiting for Keycloak");
            }
        }
    }

    private IllegalStateException failure(String message) {
        return new IllegalStateException(message + "; last " + LOG_TAIL_LINES + " lines of " + logFile + ":\n"
                + logTail(logFile, LOG_TAIL_LINES));
    }

    private void stopProcess() {
        if (process == null || !process.isAlive()) {
            deletePidFile(process);
            return;
        }
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroy(); // SIGTERM: kc.sh forwards it to the JVM and waits for it
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        deletePidFile(process);
    }

    /** A Keycloak of this dist left running by a test JVM that was killed. */
    private static void stopStaleServer(Path dist) {
        Path pidFile = pidFile();
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> stale = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(dist.toString())).orElse(false));
            if (stale.isPresent()) {
                System.out.println("[keycloak] stopping a Keycloak left running by an earlier test run, pid " + pid);
                List<ProcessHandle> tree = new ArrayList<>(stale.get().descendants().collect(Collectors.toList()));
                tree.add(stale.get());
                tree.forEach(ProcessHandle::destroy);
                for (ProcessHandle h : tree) {
                    try {
                        h.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                }
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            // not ours to judge: leave it
        }
    }

    private static void deletePidFile(Process process) {
        try {
            Path pidFile = pidFile();
            if (process != null && Files.exists(pidFile)
                    && Files.readString(pidFile).trim().equals(Long.toString(process.pid()))) {
                Files.delete(pidFile);
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    private boolean isUsable() {
        return process != null ? process.isAlive() : baseUrl.equals(System.getProperty(PROP_BASE_URL));
    }

    // ---- files ----

    private static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    private static Path keycloakDir() {
        return projectDir().resolve("target/keycloak");
    }

    private static Path defaultLogFile() {
        return keycloakDir().resolve("keycloak.log");
    }

    private static Path pidFile() {
        return keycloakDir().resolve("keycloak.pid");
    }

    /** {@code -Dkeycloak.dist=DIR}, else {@code target/keycloak/keycloak-<keycloak.version of pom.xml>}. */
    private static Path distDir() {
        String explicit = System.getProperty("keycloak.dist");
        Path dist;
        if (explicit != null) {
            dist = Path.of(explicit).toAbsolutePath();
        } else {
            String version = System.getProperty("keycloak.version");
            if (version == null) {
                version = versionFromPom();
            }
            dist = keycloakDir().resolve("keycloak-" + version);
        }
        if (!Files.isRegularFile(dist.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak at " + dist + ". The build unpacks it at"
                    + " pre-integration-test (`./mvnw verify`; skipped with -DskipTests or -DskipITs), so only"
                    + " integration tests (*IT, run by failsafe) can use Keycloak.");
        }
        return dist;
    }

    private static String versionFromPom() {
        Path pom = projectDir().resolve("pom.xml");
        try {
            Matcher m = Pattern.compile("<keycloak\\.version>\\s*([^<\\s]+)\\s*</keycloak\\.version>")
                    .matcher(Files.readString(pom));
            if (m.find()) {
                return m.group(1);
            }
            throw new IllegalStateException("No <keycloak.version> in " + pom);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pom + " for <keycloak.version>", e);
        }
    }

    private static void copyRealm(Path dist) {
        Path importDir = dist.resolve("data/import");
        try (InputStream in = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Class path resource " + REALM_RESOURCE + " is missing");
            }
            Files.createDirectories(importDir);
            Files.copy(in, importDir.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the realm into " + importDir, e);
        }
    }

    static String logTail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }

    // ---- HTTP ----

    /** Waits until the wall clock enters a new second and returns that second (epoch seconds). */
    private static long startNextSecond() {
        long current = epochSecond();
        await("the next wall-clock second").atMost(Duration.ofSeconds(3)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> epochSecond() > current);
        return epochSecond();
    }

    private static long epochSecond() {
        return System.currentTimeMillis() / 1000;
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode admin(String method, String url, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + adminToken())
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        HttpResponse<String> response = send(request);
        expect2xx(response, method + " " + url);
        try {
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " answered no JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + built.method() + " " + built.uri(), e);
        }
    }

    private static String accessToken(HttpResponse<String> response, String what) {
        expect2xx(response, what);
        try {
            String token = JSON.readTree(response.body()).path("access_token").asText("");
            if (token.isEmpty()) {
                throw new IllegalStateException(what + ": no access_token in " + response.body());
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException(what + ": answer is not JSON: " + response.body(), e);
        }
    }

    private static void expect2xx(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " failed: HTTP " + response.statusCode() + " " + response.body());
        }
    }
}
