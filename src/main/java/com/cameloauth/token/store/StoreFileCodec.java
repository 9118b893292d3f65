package com.cameloauth.token.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plaintext layout of a store file (format 1), before encryption: the last version, then each entry's key,
 * version and token set. Strings are length-prefixed UTF-8, so tokens of any size fit. Only ever handled in memory.
 */
final class StoreFileCodec {
    private static final int MAX_ENTRIES = 100_000;

    private StoreFileCodec() {
    }

    static byte[] encode(StoreSnapshot snapshot) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 2048 * snapshot.entries().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(snapshot.lastVersion());
            out.writeInt(snapshot.entries().size());
            for (Map.Entry<StoreKey, Versioned<TokenSet>> e : snapshot.entries().entrySet()) {
                writeString(out, e.getKey().connection());
                writeString(out, e.getKey().binding());
                out.writeLong(e.getValue().version());
                writeTokenSet(out, e.getValue().value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException when the bytes are not a complete format-1 payload (never echoes any of them) */
    static StoreSnapshot decode(byte[] plaintext) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext));
        long lastVersion = in.readLong();
        int count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES) {
            throw new IOException("implausible entry count");
        }
        Map<StoreKey, Versioned<TokenSet>> entries = new HashMap<>();
        for (int i = 0; i < count; i++) {
            StoreKey key;
            Versioned<TokenSet> entry;
            try {
                key = new StoreKey(readString(in), readString(in));
                long version = in.readLong();
                entry = new Versioned<>(readTokenSet(in), version);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IOException("invalid entry " + i);
            }
            if (entry.version() > lastVersion) {
                throw new IOException("entry version above the last version");
            }
            entries.put(key, entry);
        }
        if (in.available() > 0) {
            throw new IOException("trailing bytes");
        }
        return new StoreSnapshot(lastVersion, entries);
    }

    static void writeTokenSet(DataOutputStream out, TokenSet t) throws IOException {
        writeString(out, t.accessToken());
        writeString(out, t.tokenType());
        writeInstant(out, t.receivedAt());
        writeInstant(out, t.expiresAt());
        out.writeInt(t.scopes().size());
        for (String scope : t.scopes()) {
            writeString(out, scope);
        }
        out.writeBoolean(t.refreshToken().isPresent());
        if (t.refreshToken().isPresent()) {
            writeString(out, t.refreshToken().get());
        }
        out.writeBoolean(t.refreshTokenExpiresAt().isPresent());
        if (t.refreshTokenExpiresAt().isPresent()) {
            writeInstant(out, t.refreshTokenExpiresAt().get());
        }
    }

    static TokenSet readTokenSet(DataInputStream in) throws IOException {
        String access = readString(in);
        String type = readString(in);
        Instant received = readInstant(in);
        Instant expires = readInstant(in);
        int scopeCount = in.readInt();
        if (scopeCount < 0 || scopeCount > in.available()) {
            throw new IOException("implausible scope count");
        }
        List<String> scopes = new ArrayList<>(scopeCount);
        for (int i = 0; i < scopeCount; i++) {
            scopes.add(readString(in));
        }
        Optional<String> refresh = in.readBoolean() ? Optional.of(readString(in)) : Optional.empty();
        Optional<Instant> refreshExpires = in.readBoolean() ? Optional.of(readInstant(in)) : Optional.empty();
        return new TokenSet(access, type, received, expires, scopes, refresh, refreshExpires);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("string length past the end");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        long seconds = in.readLong();
        int nanos = in.readInt();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (RuntimeException e) {
            throw new IOException("invalid instant");
        }
    }
}
