package com.cameloauth.connection;

import java.util.Map;
import java.util.Objects;

/**
 * Everything under {@code oauth.*}, validated: the connections by name and the token store.
 *
 * @param connections the connections by name
 * @param store       where tokens are kept
 */
public record OAuthSettings(Map<String, ConnectionDefinition> connections, StoreSettings store) {

    public OAuthSettings {
        connections = Map.copyOf(connections);
        Objects.requireNonNull(store, "store");
    }
}
