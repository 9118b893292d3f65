package com.cameloauth.connection.policy;

/** A policy that obtains OAuth access tokens from an authorization server with a registered client. */
public sealed interface OAuthPolicy permits ClientCredentialsPolicy, PasswordPolicy, AuthorizationCodePolicy,
        RefreshTokenPolicy, JwtBearerPolicy, TokenExchangePolicy {

    /** The client registration: who asks, how it authenticates, where, and for what. */
    ClientRegistration client();
}
