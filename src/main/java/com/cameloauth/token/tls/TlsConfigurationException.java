package com.cameloauth.token.tls;

/**
 * A connection's key store or trust store cannot be used: the message names the connection, the key and the file, and
 * says what to do; it never holds a password or key material. Thrown when the engine starts.
 */
public final class TlsConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String connection;
    private final String key;

    public TlsConfigurationException(String connection, String key, String message) {
        super("connection '" + connection + "': key '" + key + "': " + message);
        this.connection = connection;
        this.key = key;
    }

    /** The connection whose TLS settings are wrong. */
    public String connection() {
        return connection;
    }

    /** The key that names the bad setting, such as {@code tls-key-store}. */
    public String key() {
        return key;
    }
}
