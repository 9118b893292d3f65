package com.cameloauth.bench;

/** Where a caller gets its Authorization header value from: this project's engine or an alternative. */
public interface TokenSource extends AutoCloseable {

    /** The value of the Authorization header for the next API call, e.g. {@code Bearer tok-1}. */
    String authorizationHeader();

    @Override
    default void close() {
    }
}
