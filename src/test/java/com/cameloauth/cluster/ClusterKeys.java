package com.cameloauth.cluster;

import java.security.SecureRandom;
import java.util.Base64;

/** The encryption key every instance of a test cluster shares. */
final class ClusterKeys {
    static final String KEY = randomKey();

    private ClusterKeys() {
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
