package com.cameloauth.testsupport.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's, installed by {@code .ci/run}) on a free loopback port, without persistence, in
 * its own temporary directory. Never 6379. Optionally with TLS (a fresh openssl self-signed certificate for 127.0.0.1)
 * and extra ACL users.
 */
public final class RedisServer implements AutoCloseable {
    private static final String REDIS_SERVER = "/usr/bin/redis-server";
    private static final String REDIS_CLI = "/usr/bin/redis-cli";

    private final Path dir;
    private final int port;
    private final boolean tls;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(Path dir, int port, boolean tls, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.extraArgs = extraArgs;
    }

    /** A plain server; {@code extraArgs} are added as they are, e.g. {@code --user app on >pw ~camel-oauth:* +@all}. */
    public static RedisServer start(String... extraArgs) {
        return start(false, extraArgs);
    }

    /** A server that only speaks TLS, with a self-signed certificate for 127.0.0.1 ({@link #certificate()}). */
    public static RedisServer startTls(String... extraArgs) {
        return start(true, extraArgs);
    }

    private static RedisServer start(boolean tls, String... extraArgs) {
        if (!Files.isExecutable(Path.of(REDIS_SERVER))) {
            throw new IllegalStateException(REDIS_SERVER + " is missing: apt-get install -y redis-server (.ci/run does)");
        }
        try {
            Path dir = Files.createTempDirectory("redis-test-");
            RedisServer server = new RedisServer(dir, freePort(), tls, List.of(extraArgs));
            if (tls) {
                run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout",
                        dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()), dir);
            }
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(REDIS_SERVER, "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file",
                    certificate().toString(), "--tls-key-file", dir.resolve("key.pem").toString(), "--tls-ca-cert-file",
                    certificate().toString(), "--tls-auth-clients", "no"));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        await("redis-server on port " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("redis-server exited: " + log());
                    }
                    return accepts();
                });
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} or {@code rediss://...} for a TLS server. */
    public String url() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    /** The URL with credentials: {@code redis://user:password@127.0.0.1:<port>}. */
    public String url(String user, String password) {
        return (tls ? "rediss" : "redis") + "://" + user + ":" + password + "@127.0.0.1:" + port;
    }

    /** The PEM certificate of a TLS server (self-signed, for IP 127.0.0.1). */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** Runs redis-cli against this server as the default user and returns what it printed. */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of(REDIS_CLI, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        if (tls) {
            command.addAll(List.of("--tls", "--cacert", certificate().toString()));
        }
        command.addAll(List.of(args));
        return run(command, dir);
    }

    /** Kills the server (SIGKILL: like a crash) and waits until it is gone. Its data is lost (no persistence). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGSTOP: the server keeps its connections open but answers nothing, like a hung or overloaded Redis. */
    public void pause() {
        run(List.of("kill", "-STOP", Long.toString(process.pid())), dir);
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        run(List.of("kill", "-CONT", Long.toString(process.pid())), dir);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            resume();
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + url() + "]";
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String run(List<String> command, Path dir) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
