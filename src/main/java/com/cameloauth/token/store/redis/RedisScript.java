package com.cameloauth.token.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts that make the store's writes atomic on the server. Run by SHA ({@code EVALSHA}); after a Redis
 * restart or {@code SCRIPT FLUSH} the server answers NOSCRIPT and the script is sent in full ({@code EVAL}).
 * <p>
 * Versions and fencing tokens come from {@code :seq}: the greater of the last one plus one and the server's clock in
 * microseconds ({@code TIME}). So they strictly increase per key, survive a delete (the counter is never deleted), and
 * keep increasing even when a Redis without persistence restarts empty: a caller holding a version read before the
 * restart can never match a version handed out after it.
 * <p>
 * Replays: the connection never re-sends a command after a reconnect (see {@link LettuceConnection}), and the scripts
 * are idempotent anyway. A compare-and-set carries a write id: if it reaches the server twice, the second run finds
 * its own write and reports the same version instead of a lost race. A lease acquisition that runs twice finds its own
 * holder and returns the same fencing token. Compare-and-delete and release run a second time as a no-op (false).
 */
enum RedisScript {

    /** KEYS token, seq; ARGV expected version, sealed token set, write id. Returns the new version, or 0 if lost. */
    COMPARE_AND_SET("""
            local cur = redis.call('HMGET', KEYS[1], 'v', 'w')
            if (tonumber(cur[1]) or 0) ~= tonumber(ARGV[1]) then
              if cur[2] == ARGV[3] then return tonumber(cur[1]) end
              return 0
            end
            local v = next_seq(KEYS[2])
            redis.call('HSET', KEYS[1], 'v', v, 'c', ARGV[2], 'w', ARGV[3])
            return tonumber(v)
            """),

    /** KEYS token; ARGV expected version. Returns 1 if removed. */
    COMPARE_AND_DELETE("""
            local cur = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
            if cur ~= 0 and cur == tonumber(ARGV[1]) then
              redis.call('DEL', KEYS[1])
              return 1
            end
            return 0
            """),

    /** KEYS lease, seq; ARGV holder, ttl in ms. Returns the fencing token, or 0 if another holder has the lease. */
    ACQUIRE_LEASE("""
            local cur = redis.call('GET', KEYS[1])
            if cur then
              local sep = string.find(cur, ':', 1, true)
              if sep and string.sub(cur, 1, sep - 1) == ARGV[1] then return tonumber(string.sub(cur, sep + 1)) end
              return 0
            end
            local f = next_seq(KEYS[2])
            redis.call('SET', KEYS[1], ARGV[1] .. ':' .. f, 'NX', 'PX', ARGV[2])
            return tonumber(f)
            """),

    /** KEYS lease; ARGV "holder:fencing token". Returns 1 if this holder's lease was removed. */
    RELEASE_LEASE("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    /** Hands out the next version or fencing token of a key (see the class comment). */
    private static final String NEXT_SEQ = """
            if redis.replicate_commands then redis.replicate_commands() end
            local function next_seq(seq)
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local n = math.max(tonumber(redis.call('GET', seq) or '0') + 1, now)
              local s = string.format('%.0f', n)
              redis.call('SET', seq, s)
              return s
            end
            """;

    private final String source;
    private final String sha;

    RedisScript(String body) {
        this.source = NEXT_SEQ + body;
        this.sha = sha1(source);
    }

    String source() {
        return source;
    }

    /** The SHA1 that {@code EVALSHA} names the script by. */
    String sha() {
        return sha;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
