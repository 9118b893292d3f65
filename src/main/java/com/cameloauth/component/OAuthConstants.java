package com.cameloauth.component;

import org.apache.camel.spi.Metadata;

/** Header names of the {@code oauth:} component. */
public final class OAuthConstants {

    /** With {@code operation=token}: the current access token, for a step that calls the API another way. */
    @Metadata(label = "producer", description = "With operation=token: the current access token. Treat it as a secret:"
            + " do not log it, and remove the header once used.", javaType = "String", secret = true)
    public static final String ACCESS_TOKEN = "CamelOAuthAccessToken";

    /** With {@code operation=token}: the ready-made header value, e.g. {@code Bearer eyJ...}. */
    @Metadata(label = "producer", description = "With operation=token: the value for the connection's credential header,"
            + " e.g. 'Bearer <token>'.", javaType = "String", secret = true)
    public static final String AUTHORIZATION = "CamelOAuthAuthorization";

    /** With {@code operation=token}: when the token expires. */
    @Metadata(label = "producer", description = "With operation=token: when the access token expires.",
              javaType = "java.time.Instant")
    public static final String TOKEN_EXPIRES_AT = "CamelOAuthTokenExpiresAt";

    /** The token's fingerprint (a short hash): safe to log, for correlation with events and the audit log. */
    @Metadata(label = "producer,consumer", description = "With operation=token, after a replay, and on events: the fingerprint (a short"
            + " SHA-256 prefix) of the token used. Safe to log.", javaType = "String")
    public static final String TOKEN_FINGERPRINT = "CamelOAuthTokenFingerprint";

    /** Set to true when the API answered 401, a new token was obtained and the request was sent again. */
    @Metadata(label = "producer", description = "true when the API answered 401 and the request was replayed once with"
            + " a new token.", javaType = "boolean")
    public static final String REPLAYED = "CamelOAuthReplayed";

    /** With {@code operation=consent-url}: the URL to send the user's browser to for consent (also the body). */
    @Metadata(label = "producer", description = "With operation=consent-url: the authorization URL (PKCE S256, a fresh"
            + " single-use state) to send the user's browser to; also put in the body.", javaType = "String")
    public static final String CONSENT_URL = "CamelOAuthConsentUrl";


    /**
     * On exchanges from {@code from("oauth:<connection>")}: the event type, e.g. REFRESHED or FAILED. The body, a
     * TokenEvent, also carries the grant, the token request's duration and the RFC error code when there are any.
     */
    @Metadata(label = "consumer", description = "The token lifecycle event type: ACQUIRED, REFRESHED, REFRESH_FAILED,"
            + " FAILED, REJECTED (the API answered 401), REPLAYED (a new token for the request sent again), BLOCKED,"
            + " REFRESH_TOKEN_REJECTED, CONSENT_REQUIRED, CONSENT_GRANTED or REVOKED.", javaType = "String")
    public static final String EVENT_TYPE = "CamelOAuthEventType";

    /** On exchanges from {@code from("oauth:...")}: the connection the event is about. */
    @Metadata(label = "consumer", description = "The connection the event is about.", javaType = "String")
    public static final String CONNECTION = "CamelOAuthConnection";

    /**
     * Input of a {@code token-exchange} connection with {@code subject-token-from-header=true}: the subject token to
     * exchange for this call (RFC 8693). Refused by every other token-exchange connection.
     */
    @Metadata(label = "producer", description = "Input for a token-exchange connection with"
            + " subject-token-from-header=true: the subject token (RFC 8693) this call is made for. A secret: it is"
            + " never logged; exchanged tokens are cached by its hash.", javaType = "String", secret = true)
    public static final String SUBJECT_TOKEN = "CamelOAuthSubjectToken";

    private OAuthConstants() {
    }
}
