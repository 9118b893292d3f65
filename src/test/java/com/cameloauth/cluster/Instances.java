package com.cameloauth.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Several {@link ClusterInstance}s, each in its own JVM (the test's class path, this JVM's java), started together.
 * Commands go to every instance; each answers one line. Their logs go to a file each, shown when an instance fails.
 */
public final class Instances implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final List<Child> children = new ArrayList<>();

    private record Child(Process process, Writer in, BlockingQueue<String> out, Path log) {
    }

    /** Starts {@code n} instances with these {@code key=value} arguments and waits until each is ready. */
    public static Instances start(int n, Path logDir, String... args) {
        Instances instances = new Instances();
        try {
            for (int i = 0; i < n; i++) {
                instances.children.add(launch(logDir.resolve("instance-" + i + ".log"), args));
            }
            for (int i = 0; i < n; i++) {
                instances.expect(i, "ready", STARTUP);
            }
            return instances;
        } catch (RuntimeException | Error e) {
            instances.close();
            throw e;
        }
    }

    private static Child launch(Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ClusterInstance.class.getName()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
            BlockingQueue<String> out = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        out.add(line);
                    }
                } catch (IOException e) {
                    // the instance ended
                }
            }, "instance-output");
            reader.setDaemon(true);
            reader.start();
            return new Child(p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), out, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() {
        return children.size();
    }

    /** Sends {@code command} to instance {@code i}. */
    public void send(int i, String command) {
        try {
            Writer in = children.get(i).in();
            in.write(command + "\n");
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("instance " + i + " is gone: " + log(i), e);
        }
    }

    /** Sends {@code command} to every instance at once and returns their answers, in order. */
    public List<Reply> sendAll(String command, Duration timeout) {
        for (int i = 0; i < children.size(); i++) {
            send(i, command);
        }
        List<Reply> replies = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            replies.add(Reply.parse(expect(i, "done", timeout)));
        }
        return replies;
    }

    /** The next line of instance {@code i}, which must start with {@code prefix}. */
    public String expect(int i, String prefix, Duration timeout) {
        try {
            String line = children.get(i).out().poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || !line.startsWith(prefix)) {
                throw new AssertionError("instance " + i + " answered " + line + " instead of " + prefix + "...; log: "
                        + log(i));
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next line of instance {@code i} if it has one now, else null. */
    public String poll(int i) {
        return children.get(i).out().poll();
    }

    /** Kills instance {@code i} at once (SIGKILL), as a crash would: no lease is released. */
    public void kill(int i) {
        Process p = children.get(i).process();
        p.destroyForcibly();
        try {
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log(int i) {
        try {
            String text = Files.readString(children.get(i).log());
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < children.size(); i++) {
            Child c = children.get(i);
            if (c.process().isAlive()) {
                try {
                    send(i, "quit");
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
        for (Child c : children) {
            try {
                if (!c.process().waitFor(10, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process().destroyForcibly();
            }
        }
    }

    /** One instance's answer to a window or run. */
    public record Reply(int window, long calls, long failures, long p99Nanos, long p999Nanos, List<String> tokens,
            int storeUnavailable, int storeAvailable, int check) {

        static Reply parse(String line) {
            String[] parts = line.split(" ");
            Map<String, String> v = new LinkedHashMap<>();
            for (int i = 2; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                v.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            return new Reply(Integer.parseInt(parts[1]), Long.parseLong(v.get("calls")), Long.parseLong(v.get("failures")),
                    Long.parseLong(v.get("p99ns")), Long.parseLong(v.get("p999ns")),
                    v.get("tokens").isEmpty() ? List.of() : List.of(v.get("tokens").split(",")),
                    Integer.parseInt(v.get("storeUnavailable")), Integer.parseInt(v.get("storeAvailable")),
                    Integer.parseInt(v.getOrDefault("check", "0")));
        }
    }
}
