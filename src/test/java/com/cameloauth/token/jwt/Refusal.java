package com.cameloauth.token.jwt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Asserts on the message of a refused configuration: what it must say and what it must never say. */
final class Refusal {
    private final String message;

    private Refusal(String message) {
        this.message = message;
    }

    static Refusal of(Executable action) {
        AssertionKeyException e = assertThrows(AssertionKeyException.class, action);
        assertNull(e.getCause(), "no cause: a parser's message may quote the file");
        return new Refusal(e.getMessage());
    }

    Refusal says(String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
        }
        return this;
    }

    Refusal neverSays(String... parts) {
        for (String part : parts) {
            assertFalse(message.contains(part), () -> "must not contain '" + part + "': " + message);
        }
        return this;
    }

    String message() {
        return message;
    }
}
