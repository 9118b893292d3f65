package com.cameloauth.connection.policy;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import com.cameloauth.connection.Policy;

/**
 * {@code token-exchange} (RFC 8693): the client trades a subject token for a token of its own. The subject token is
 * either another connection's current access token or, with an explicit opt-in, a header of each message (then every
 * subject gets its own token, never the connection's shared one).
 *
 * @param client                 the requesting client; its scopes, audience and resources go into the request
 * @param subjectConnection      the connection whose current access token is the subject token
 * @param subjectTokenFromHeader whether the subject token comes from each message's header instead
 * @param subjectTokenType       the subject_token_type URI
 * @param requestedTokenType     the requested_token_type URI, if any
 */
public record TokenExchangePolicy(ClientRegistration client, Optional<String> subjectConnection,
        boolean subjectTokenFromHeader, URI subjectTokenType, Optional<URI> requestedTokenType)
        implements SecurityPolicy, OAuthPolicy {

    /** The default subject token type: an OAuth access token. */
    public static final URI ACCESS_TOKEN_TYPE = URI.create("urn:ietf:params:oauth:token-type:access_token");

    public TokenExchangePolicy {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(subjectConnection, "subjectConnection");
        Objects.requireNonNull(subjectTokenType, "subjectTokenType");
        Objects.requireNonNull(requestedTokenType, "requestedTokenType");
        if (subjectConnection.isPresent() == subjectTokenFromHeader) {
            throw new IllegalArgumentException("the subject token comes either from subject-connection or from the"
                    + " message header (subject-token-from-header=true), exactly one of them");
        }
    }

    @Override
    public Policy policy() {
        return Policy.TOKEN_EXCHANGE;
    }
}
