package com.cameloauth.connection.policy;

import java.util.Objects;

import com.cameloauth.connection.Policy;
import com.cameloauth.connection.Secret;

/** {@code basic}: HTTP Basic with a fixed user name and password. */
public record BasicPolicy(String username, Secret password) implements SecurityPolicy {

    public BasicPolicy {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public Policy policy() {
        return Policy.BASIC;
    }
}
