package com.cameloauth.connection.policy;

import com.cameloauth.connection.Policy;

/**
 * How a connection authenticates its API calls: one record per policy, each holding exactly the settings its
 * policy needs, already validated. Adding a policy adds a record here and a reader method in
 * {@code connection.SecurityPolicyReader}; nothing else branches on the policy's optional fields.
 * Every record's {@code toString} masks its secrets.
 */
public sealed interface SecurityPolicy permits ClientCredentialsPolicy, PasswordPolicy, AuthorizationCodePolicy,
        RefreshTokenPolicy, BasicPolicy, ApiKeyPolicy, OAuth1Policy, NonePolicy, JwtBearerPolicy, TokenExchangePolicy,
        CustomPolicy, OidcClientPolicy {

    /** The policy's name in configuration ({@code policy=...}). */
    Policy policy();
}
