package com.cameloauth.connection;

import java.util.Map;

/**
 * A config source that knows which of its values it could not resolve ({@code {{env:UNSET}}}, a vault that failed).
 * It leaves those values out, and says why here; {@link ConnectionDefinitions#load} reports each as a problem of its
 * connection and key instead of sending the placeholder text as a credential.
 */
public interface UnresolvedValues {

    /**
     * Property name ({@code oauth.connections.<name>.<key>}) to what is wrong, e.g. {@code variable 'ORDERS_SECRET' is
     * not set ({{env:ORDERS_SECRET}})}; never a resolved value.
     */
    Map<String, String> unresolved();
}
