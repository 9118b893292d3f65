package com.cameloauth.token;

import java.util.Optional;

/** Gives the credential for a connection's API requests. One per connection, safe for concurrent use. */
public interface RequestAuthorizer {

    /** The credential to send now. Fast when a valid token is cached; blocks only when none is. */
    Authorization authorize();

    /**
     * The API answered 401 to a request made with {@code rejected}. Returns the credential to replay with, or empty
     * when the policy cannot get another one (static credentials). Concurrent callers share one token request.
     */
    Optional<Authorization> afterRejection(Authorization rejected);
}
