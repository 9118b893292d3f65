package com.cameloauth.connection.policy;

import com.cameloauth.connection.Policy;

/** {@code none}: calls go out without a credential. */
public record NonePolicy() implements SecurityPolicy {

    @Override
    public Policy policy() {
        return Policy.NONE;
    }
}
