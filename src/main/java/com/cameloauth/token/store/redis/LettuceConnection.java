package com.cameloauth.token.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.cameloauth.token.store.TokenStoreException;
import com.cameloauth.token.store.TokenStoreException.Reason;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

/**
 * The one place that knows Lettuce, so that {@link RedisTokenStore} loads without it. One auto-reconnecting connection
 * (Lettuce multiplexes it across threads), configured to fail fast rather than queue:
 * <ul>
 * <li>while disconnected, commands are rejected at once ({@code REJECT_COMMANDS}); reconnects every 100 ms;</li>
 * <li>every operation has one deadline, {@code timeout} from its start, that also covers the EVAL after a NOSCRIPT;</li>
 * <li>nothing is re-sent after a reconnect ({@code replayFilter}): the caller already got UNAVAILABLE for it.</li>
 * </ul>
 */
final class LettuceConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LettuceConnection.class);
    /** Start-up only (calls never wait on a reconnect: commands are rejected meanwhile); generous for a busy host. */
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> commands;
    private final Duration timeout;
    private final String address;

    private LettuceConnection(ClientResources resources, RedisClient client,
            StatefulRedisConnection<String, byte[]> connection, Duration timeout, String address) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = connection.async();
        this.timeout = timeout;
        this.address = address;
    }

    /** Connects and authenticates, or fails with a message that names the address only. */
    static LettuceConnection open(RedisStoreSettings settings) {
        Duration connectTimeout = settings.timeout().compareTo(MIN_CONNECT_TIMEOUT) > 0 ? settings.timeout()
                : MIN_CONNECT_TIMEOUT;
        // the handshake (HELLO, AUTH, PING) gets the connect timeout; commands get settings.timeout()
        RedisURI.Builder uri = uri(settings).withTimeout(connectTimeout);
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(connectTimeout);
        settings.trustedCertificates().ifPresent(pem -> ssl.trustManager(pem.toFile()));
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .sslOptions(ssl.build())
                .build());
        try {
            StatefulRedisConnection<String, byte[]> connection = client.connect(
                    RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri.build());
            return new LettuceConnection(resources, client, connection, settings.timeout(), settings.address());
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw failure("cannot connect to", settings.address(), e);
        }
    }

    private static RedisURI.Builder uri(RedisStoreSettings settings) {
        RedisURI parsed;
        try {
            parsed = RedisURI.create(settings.url().strip());
        } catch (RuntimeException e) {
            // Lettuce's message may quote the URL, and with it a password
            throw new TokenStoreException(Reason.IO, "oauth.store.redis.url for " + settings.address()
                    + " is not a URL Lettuce accepts (its value is not shown: it may contain a password)");
        }
        RedisURI.Builder uri = RedisURI.builder(parsed);
        if (parsed.getPassword() == null && settings.password().isPresent()) {
            uri.withAuthentication(settings.username().orElse(parsed.getUsername()), settings.password().get());
        }
        return uri;
    }

    /** Runs {@code script} by SHA, in full after NOSCRIPT; the whole call ends within the timeout. */
    long script(RedisScript script, List<String> keys, byte[]... args) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String[] keyArray = keys.toArray(String[]::new);
        try {
            return this.<Long>await(c -> c.evalsha(script.sha(), ScriptOutputType.INTEGER, keyArray, args), deadline);
        } catch (NoScript e) {
            LOG.debug("Redis at {} does not know script {} (restarted or flushed); sending it in full", address,
                    script);
            return this.<Long>await(c -> c.eval(script.source(), ScriptOutputType.INTEGER, keyArray, args), deadline);
        }
    }

    /** The values of {@code fields} of a hash, null for a missing field, in one round trip. */
    byte[][] hashFields(String key, String... fields) {
        List<KeyValue<String, byte[]>> values = await(c -> c.hmget(key, fields), System.nanoTime() + timeout.toNanos());
        byte[][] result = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            result[i] = values.get(i).getValueOrElse(null);
        }
        return result;
    }

    void delete(String key) {
        await(c -> c.del(key), System.nanoTime() + timeout.toNanos());
    }

    private <T> T await(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command, long deadline) {
        RedisFuture<T> future;
        try {
            future = command.apply(commands);
        } catch (RuntimeException e) {
            throw failure("cannot reach", address, e);
        }
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TokenStoreException(Reason.UNAVAILABLE, "Redis token store at " + address
                    + " did not answer within " + timeout.toMillis() + " ms (oauth.store.redis.timeout); the operation"
                    + " may or may not have been applied. Try again; check that Redis is running and reachable");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TokenStoreException(Reason.UNAVAILABLE, "interrupted while waiting for Redis at " + address);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisNoScriptException) {
                throw new NoScript();
            }
            throw failure("failed on", address, e.getCause());
        }
    }

    /** Refused credentials or ACL rules are configuration ({@code IO}); anything else means "not now". */
    private static TokenStoreException failure(String what, String address, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException tls) {
                return new TokenStoreException(Reason.IO, "TLS with the Redis token store at " + address + " failed ("
                        + tls.getClass().getSimpleName() + "): its certificate must be trusted (a CA or the"
                        + " certificate itself in oauth.store.redis.trusted-certificates, PEM) and name the host", tls);
            }
            if (t instanceof RedisCommandExecutionException refused) {
                String code = String.valueOf(refused.getMessage()).split(" ", 2)[0].toUpperCase(Locale.ROOT);
                if (code.equals("NOAUTH") || code.equals("WRONGPASS") || code.equals("NOPERM")) {
                    return new TokenStoreException(Reason.IO, "Redis token store at " + address + " refused access ("
                            + code + "): check the user and password (in oauth.store.redis.url or"
                            + " oauth.store.redis.username/password) and that the ACL allows the key pattern"
                            + " ~<prefix>:* with +@all (or at least EVAL, EVALSHA, HMGET, DEL)", refused);
                }
                return new TokenStoreException(Reason.IO, "Redis token store at " + address + " answered an error: "
                        + code, refused);
            }
        }
        return new TokenStoreException(Reason.UNAVAILABLE, "Redis token store " + what + " " + address + " ("
                + error.getClass().getSimpleName() + "). Check that Redis is running and reachable; the operation"
                + " may not have been applied", error);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** NOSCRIPT: the server does not know the script (yet). */
    private static final class NoScript extends RuntimeException {
        NoScript() {
            super("NOSCRIPT", null, false, false);
        }
    }
}
