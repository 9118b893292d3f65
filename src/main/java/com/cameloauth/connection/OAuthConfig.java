package com.cameloauth.connection;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Every connection key, declared once. Quarkus reads this mapping directly; plain Camel builds the same mapping over
 * Camel's properties. Values stay strings here so that {@link ConnectionDefinitions} can report every bad value at
 * once, naming the connection and the key, instead of failing on the first conversion.
 */
@ConfigMapping(prefix = "oauth")
public interface OAuthConfig {

    /** The named connections: {@code oauth.connections.<name>.<key>}. */
    Map<String, Connection> connections();

    /** Where tokens are kept: {@code oauth.store.*}, one store for every connection. */
    Store store();

    /** The token store. Validated into {@link StoreSettings}. */
    interface Store {

        /** Token store: memory (default; tokens are lost on restart), file (encrypted; consented refresh tokens survive restarts) or redis (encrypted; shared by several instances). */
        Optional<String> type();

        /** The file store. */
        File file();

        /** AES-256 key of the file and redis stores: base64 of 32 random bytes (openssl rand -base64 32). Required for them; a secret: use a placeholder such as ${OAUTH_STORE_KEY}. */
        Optional<String> encryptionKey();

        /** The Redis store. */
        Redis redis();

        /** The Redis store's settings: every instance that points at the same Redis and key prefix shares tokens. */
        interface Redis {

            /** redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Required for the redis store; a password in it is never shown. */
            Optional<String> url();

            /** ACL user name, when not in the URL. */
            Optional<String> username();

            /** Password, when not in the URL (a password in the URL wins); a secret: use a placeholder such as ${REDIS_PASSWORD}. */
            Optional<String> password();

            /** Longest wait for Redis in one store operation; after it the instance goes on from its own memory. Default 500ms, at most 1m. */
            Optional<String> timeout();

            /** PEM file of the CA (or the self-signed certificate) a rediss:// server is checked against. Default: the JVM's trusted CAs. */
            Optional<String> trustedCertificates();

            /** Prefix of every Redis key (an ACL user needs ~<prefix>:*). Default camel-oauth; no { or }. */
            Optional<String> keyPrefix();
        }

        /** The file store's settings. */
        interface File {

            /** File that holds the encrypted tokens. Required for the file store; its directory must be writable. */
            Optional<String> path();
        }
    }

    /**
     * One connection: a remote API and the security policy used to call it. Every key can also come from an
     * environment variable {@code OAUTH_CONNECTIONS_<NAME>_<KEY>}: the variable ends with the key, the rest is the
     * connection (a name defined in another source wins; otherwise lowercased, {@code _} as {@code -}); see
     * {@link EnvironmentConnections}. Durations and counts have maximums, so no value can overflow the code that uses it.
     */
    interface Connection {

        /** Base URL of the API; {@code oauth:<name>/<path>} calls {@code <base-url>/<path>}. Required. No user info (user:password@). */
        Optional<String> baseUrl();

        /** Security policy: client-credentials, authorization-code, password (deprecated), refresh-token, jwt-bearer, basic, api-key, oauth1 or none. Required. */
        Optional<String> policy();

        /** Token endpoint of the authorization server. Required for OAuth policies unless issuer is set (then discovered; a configured token-url wins). No user info. */
        Optional<String> tokenUrl();

        /** Issuer of the authorization server (RFC 8414), for OAuth policies: checked against iss on the consent callback (RFC 9207); endpoints not set (token, authorization, revocation, introspection) are discovered from its metadata, whose issuer must equal this value exactly. No query or fragment. */
        Optional<String> issuer();

        /** Authorization endpoint, where a user gives consent. Required for authorization-code unless issuer is set; with custom, makes the flow three-legged. */
        Optional<String> authorizationUrl();

        /** Where the authorization server sends the user back with the code (authorization-code). Default http://localhost:8080/oauth/callback. https, or http on localhost/127.0.0.1/[::1] (or with allow-insecure). No fragment. */
        Optional<String> redirectUri();

        /** Revocation endpoint (RFC 7009), used by the revoke operation. Optional. */
        Optional<String> revocationUrl();

        /** Introspection endpoint (RFC 7662), used by the introspect operation. Optional. */
        Optional<String> introspectionUrl();

        /** OAuth client id. Required for OAuth policies. */
        Optional<String> clientId();

        /** OAuth client secret; use a placeholder such as ${ORDERS_SECRET} rather than the value itself; an unset variable fails start-up. Read again when the token endpoint refuses the client. Required unless client-auth is none or private_key_jwt. */
        Optional<String> clientSecret();

        /** How the client authenticates at the token endpoint: client_secret_basic (default), client_secret_post, client_secret_jwt, private_key_jwt (with client-assertion-key, no secret), or none for a public client (no secret; not for client-credentials). */
        Optional<String> clientAuth();

        /** Scopes to request, separated by spaces or commas. Only these are requested. */
        Optional<String> scopes();

        /** Value of the {@code audience} token request parameter (Auth0, Okta and others use it). */
        Optional<String> audience();

        /** Resource indicators (RFC 8707) to request, separated by spaces or commas; each an absolute URI without user info. */
        Optional<String> resource();

        /** Allow http:// URLs for this connection. Only for local development: secrets and tokens travel in clear. Default false. */
        Optional<String> allowInsecure();

        /** Refresh this long before the token expires. Default: a fifth of the token lifetime, less up to 5% jitter. At most 365d. */
        Optional<String> refreshSkew();

        /** Lifetime assumed when the token response has no expires_in. Default 5m, at most 365d. */
        Optional<String> defaultExpiresIn();

        /** Longest lifetime believed from expires_in; longer values are clamped. Default 24h, at most 365d. */
        Optional<String> maxExpiresIn();

        /** Shortest interval between two token requests when tokens cannot be cached (expires_in of 0 or less). Default 1s, at most 1h. */
        Optional<String> minFetchInterval();

        /** Connect timeout for token and API requests. Default 10s; more than 0, at most 1h. */
        Optional<String> connectTimeout();

        /** Read timeout for token and API requests. Default 30s; more than 0, at most 1h. */
        Optional<String> readTimeout();

        /** Deadline for one token request as a whole (connect, send, read the whole answer); also bounds how long a caller waits for a token in flight. Default 30s; more than 0, at most 1h. */
        Optional<String> requestTimeout();

        /** Attempts per token request for transient faults (5xx, timeouts, resets), first one included. Default 3, from 1 to 10. */
        Optional<String> maxAttempts();

        /** First backoff between attempts; doubles each attempt, with jitter, capped at ten times this. Default 200ms, at most 1m. */
        Optional<String> retryBackoff();

        /** Longest wait honoured from a Retry-After header; longer values are capped. Default 5m, at most 24h. */
        Optional<String> maxRetryAfter();

        /** Consecutive failed token requests that open the circuit (callers then fail fast). Default 5, from 1 to 100. */
        Optional<String> circuitFailureThreshold();

        /** How long the circuit stays open, and how long a rejected client (invalid_client) waits before trying again. Default 30s, at most 24h. */
        Optional<String> circuitOpenDuration();

        /** HTTP header that carries the credential. Default Authorization. An HTTP token; not {@code Camel*} (camel-http drops those) nor a control header such as Content-Type or Host. */
        Optional<String> headerName();

        /** Prefix of the header value, followed by a space and the token. Default Bearer; {@code none} sends the bare token. One word (Bearer, Token, SSWS). */
        Optional<String> headerPrefix();

        /** User name for the basic and password policies. */
        Optional<String> username();

        /** Password for the basic and password policies. */
        Optional<String> password();

        /** Refresh token for the refresh-token policy; a secret: use a placeholder. */
        Optional<String> refreshToken();

        /** API key for the api-key policy. */
        Optional<String> apiKey();

        /** Header that carries the API key for the api-key policy. Default X-API-Key. Same rules as header-name. */
        Optional<String> apiKeyHeader();

        /** Consumer key (client identifier) for the oauth1 policy, sent as oauth_consumer_key. */
        Optional<String> consumerKey();

        /** Consumer secret for the oauth1 policy; a secret: use a placeholder. */
        Optional<String> consumerSecret();

        /** Token id for the oauth1 policy, sent as oauth_token (NetSuite: the access token's Token ID). */
        Optional<String> tokenId();

        /** Token secret for the oauth1 policy; a secret: use a placeholder. */
        Optional<String> tokenSecret();

        /** Realm of the oauth1 Authorization header (NetSuite: the account id, such as 1234567_SB1). Optional; printable ASCII without quotes. */
        Optional<String> realm();

        /** Signature method of the oauth1 policy: HMAC-SHA256 (default) or HMAC-SHA1. */
        Optional<String> signatureMethod();

        // jwt
        /** Key file that signs the client assertion of client-auth=private_key_jwt: PEM (PKCS#8, PKCS#1 or SEC1, unencrypted), PKCS#12 or JWK/JWK Set. Read at start and again when the token endpoint refuses the client. */
        Optional<String> clientAssertionKey();

        /** Password of a PKCS#12 client-assertion-key; a secret: use a placeholder. */
        Optional<String> clientAssertionKeyPassword();

        /** Entry of a PKCS#12 client-assertion-key to use. Default: its only private key entry. */
        Optional<String> clientAssertionKeyAlias();

        /** kid header of the client assertion (the key id registered at the server). Default: the JWK's kid, else the RFC 7638 thumbprint of the public key. */
        Optional<String> clientAssertionKeyId();

        /** Algorithm of the client assertion: RS256 (default for private_key_jwt), PS256, ES256 (and 384/512); HS256 (default for client_secret_jwt), HS384, HS512. */
        Optional<String> clientAssertionAlgorithm();

        /** aud claim of the client assertion. Default: the token-url (some servers want their issuer). */
        Optional<String> clientAssertionAudience();

        /** Lifetime of a client assertion (exp - iat); a fresh one is made for every token request. Default 60s, from 1s to 10m. */
        Optional<String> clientAssertionLifetime();

        /** Key file that signs the jwt-bearer assertion: PEM, PKCS#12 or JWK/JWK Set, as client-assertion-key. Required for jwt-bearer. */
        Optional<String> assertionKey();

        /** Password of a PKCS#12 assertion-key; a secret: use a placeholder. */
        Optional<String> assertionKeyPassword();

        /** Entry of a PKCS#12 assertion-key to use. Default: its only private key entry. */
        Optional<String> assertionKeyAlias();

        /** kid header of the jwt-bearer assertion. Default: the JWK's kid, else the RFC 7638 thumbprint of the public key. */
        Optional<String> assertionKeyId();

        /** Algorithm of the jwt-bearer assertion: RS256 (default), PS256, ES256 (and 384/512). */
        Optional<String> assertionAlgorithm();

        /** sub claim of the jwt-bearer assertion: the user (or service account) the token is requested for. Required for jwt-bearer. */
        Optional<String> subject();

        /** iss claim of the jwt-bearer assertion: the issuer the authorization server trusts for it (often the client id). Default: client-id. */
        Optional<String> assertionIssuer();

        /** aud claim of the jwt-bearer assertion. Default: the token-url (some servers want their issuer). */
        Optional<String> assertionAudience();

        /** Further claims of the jwt-bearer assertion as name=value pairs separated by commas, e.g. scope=orders:read,tenant=eu; not iss, sub, aud, exp, nbf, iat or jti. */
        Optional<String> assertionClaims();

        /** Lifetime of a jwt-bearer assertion (exp - iat); a fresh one is made for every token request. Default 60s, from 1s to 10m. */
        Optional<String> assertionLifetime();
        // tls (mutual TLS, trust stores, DPoP)

        /** Key store with the client certificate and its private key, for mutual TLS (RFC 8705) on token requests and API calls: a PKCS#12 file, or a PEM file with the certificate chain and an unencrypted PKCS#8 key. Required for client-auth tls_client_auth. */
        Optional<String> tlsKeyStore();

        /** Password of a PKCS#12 tls-key-store (and of its key); a secret: use a placeholder. Not used for PEM. */
        Optional<String> tlsKeyStorePassword();

        /** Alias of the key entry to present from a PKCS#12 tls-key-store that holds several. Default: its only key entry. */
        Optional<String> tlsKeyAlias();

        /** CA certificates to trust for token requests and API calls, instead of the JVM's: a PKCS#12 file or a PEM file of certificates. Verification stays on; there is no trust-all switch. */
        Optional<String> tlsTrustStore();

        /** Password of a PKCS#12 tls-trust-store, when it has one. Not used for PEM. */
        Optional<String> tlsTrustStorePassword();

        /** Bind tokens to a key pair of this connection with DPoP (RFC 9449): every token request and API call carries a fresh proof. OAuth policies only. Default false. */
        Optional<String> dpop();

        /** Algorithm of the DPoP proofs (and of the key pair made at start): ES256 (default), RS256 or PS256. */
        Optional<String> dpopAlgorithm();
        // exchange
        /** token-exchange: the connection whose current access token is the subject token (RFC 8693). Not this connection. */
        Optional<String> subjectConnection();

        /** token-exchange: take the subject token from the CamelOAuthSubjectToken header of each message. Default false: a header is reachable by whoever feeds the route. */
        Optional<String> subjectTokenFromHeader();

        /** token-exchange: type of the subject token. Default urn:ietf:params:oauth:token-type:access_token. */
        Optional<String> subjectTokenType();

        /** token-exchange: requested_token_type (RFC 8693), a token type URI. Optional. */
        Optional<String> requestedTokenType();

        /** custom: HTTP method of the token request, POST (default) or GET. */
        Optional<String> tokenRequestMethod();

        /** custom: URL of the token request; may hold placeholders such as {client-id} (percent-encoded). Default token-url. */
        Optional<String> tokenRequestUrl();

        /** custom: extra request headers, Name: value pairs separated by newlines or semicolons; values may hold placeholders. */
        Optional<String> tokenRequestHeaders();

        /** custom: body template of the token request; placeholders {client-id}, {client-secret}, {scope}, {refresh-token}, {code}, {code-verifier}, {redirect-uri}, {value.<name>}. */
        Optional<String> tokenRequestBody();

        /** custom: form (default; application/x-www-form-urlencoded) or json: how placeholder values are escaped in the body. */
        Optional<String> tokenRequestContentType();

        /** custom: values for {value.<name>} placeholders, name=value pairs separated by commas (use ${ENV} for secrets). */
        Optional<String> tokenRequestValues();

        /** custom: where the access token is in the answer: $.a.b (JSON path), /a/b (JSON pointer) or regex:... with one group. Default $.access_token. */
        Optional<String> tokenResponseAccessToken();

        /** custom: where the lifetime in seconds is in the answer (same syntax). Optional; default-expires-in when absent. */
        Optional<String> tokenResponseExpiresIn();

        /** custom: where the token type is in the answer (same syntax). Optional; Bearer when absent. */
        Optional<String> tokenResponseTokenType();

        /** custom: where the refresh token is in the answer (same syntax). Optional. */
        Optional<String> tokenResponseRefreshToken();

        /** custom: where the token goes on API calls: header (default; header-name and header-prefix) or query (needs allow-token-in-query). */
        Optional<String> tokenPlacement();

        /** custom: query parameter that carries the token with token-placement=query. Default access_token. */
        Optional<String> tokenQueryParameter();

        /** Allow token-placement=query: the token then shows in URLs, server logs and proxies (RFC 6750 5.3). Default false. */
        Optional<String> allowTokenInQuery();

        /** oidc-client (Quarkus only): name of the quarkus.oidc-client.<name> that gets this connection's tokens. */
        Optional<String> oidcClientName();
    }
}
