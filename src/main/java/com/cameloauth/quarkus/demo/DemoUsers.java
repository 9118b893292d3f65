package com.cameloauth.quarkus.demo;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The people who can sign in on the demo's authorization page: demo values, shown in the README. Their orders are what
 * {@code GET /demo/api/me/orders} answers. Dev and test builds only.
 */
final class DemoUsers {
    /** A demo user. */
    record User(String username, String password, String name, String email) {
        @Override
        public String toString() {
            return "User[" + username + "]";
        }
    }

    private static final Map<String, User> USERS = Map.of(
            "ada", new User("ada", "ada-demo", "Ada Lovelace", "ada@example.com"),
            "grace", new User("grace", "grace-demo", "Grace Hopper", "grace@example.com"));

    private DemoUsers() {
    }

    static Optional<User> signIn(String username, String password) {
        User user = username == null ? null : USERS.get(username);
        if (user == null || password == null) {
            return Optional.empty();
        }
        boolean matches = MessageDigest.isEqual(user.password().getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8));
        return matches ? Optional.of(user) : Optional.empty();
    }

    static Optional<User> byName(String username) {
        return Optional.ofNullable(username == null ? null : USERS.get(username));
    }
}
