package com.cameloauth.token.store.redis;

import java.util.List;

import com.cameloauth.token.store.StoreKey;

/**
 * The Redis keys of one {@link StoreKey}. The part in braces is a Redis Cluster hash tag: the three keys of a store key
 * live in one slot, so one script may touch them all.
 *
 * <pre>
 * &lt;prefix&gt;:{&lt;connection&gt;@&lt;binding&gt;}:token  hash: v = version (decimal), c = sealed token set, w = id of the write
 * &lt;prefix&gt;:{&lt;connection&gt;@&lt;binding&gt;}:lease  string "&lt;holder&gt;:&lt;fencing token&gt;", expires after the lease ttl
 * &lt;prefix&gt;:{&lt;connection&gt;@&lt;binding&gt;}:seq    the last version or fencing token handed out (never deleted)
 * </pre>
 *
 * The binding is a hash (it hides the client id); the connection name is shown as configured.
 */
record RedisKeys(String token, String lease, String seq) {

    static RedisKeys of(String prefix, StoreKey key) {
        String base = prefix + ":{" + key.value() + "}:";
        return new RedisKeys(base + "token", base + "lease", base + "seq");
    }

    /** KEYS of the token scripts, in the order the scripts read them. */
    List<String> forToken() {
        return List.of(token, seq);
    }

    /** KEYS of the lease scripts. */
    List<String> forLease() {
        return List.of(lease, seq);
    }
}
