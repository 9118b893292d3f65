package com.cameloauth.token.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

import com.cameloauth.token.store.TokenStoreException.Reason;

/**
 * Seals one token set for a store that keeps entries apart (Redis), with the file store's envelope and key format:
 * AES-256-GCM under the same {@code oauth.store.encryption-key} (base64 of 32 bytes), a fresh nonce per seal, and the
 * token set in the file store's layout. The sealed bytes also carry the {@link StoreKey} they were sealed for, so an
 * entry copied under another key (another connection) is rejected instead of sending one API's token to another.
 */
public final class TokenSetCipher {
    private final StoreFileCipher cipher;

    private TokenSetCipher(StoreFileCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * @param base64Key the base64 of 32 bytes
     * @throws TokenStoreException {@link Reason#INVALID_KEY} if the key is missing, not base64 or not 32 bytes
     */
    public static TokenSetCipher fromBase64Key(String base64Key) {
        byte[] key = StoreFileCipher.decodeKey(base64Key);
        try {
            return new TokenSetCipher(new StoreFileCipher(key));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The sealed form of {@code tokens} for {@code key}; nothing of the token set is readable in it. */
    public byte[] seal(StoreKey key, TokenSet tokens) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(tokens, "tokens");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(key.value());
            StoreFileCodec.writeTokenSet(out, tokens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] plain = bytes.toByteArray();
        try {
            return cipher.seal(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Opens what {@link #seal} made for {@code key}.
     *
     * @param where names the entry in messages (an address and key name, never a credential)
     * @throws TokenStoreException {@link Reason#WRONG_KEY} if it was sealed with another encryption key,
     *                             {@link Reason#CORRUPT} if it was modified, is not an entry, or belongs to another key
     */
    public TokenSet open(StoreKey key, byte[] sealed, String where) {
        Objects.requireNonNull(key, "key");
        byte[] plain;
        try {
            plain = cipher.open(sealed, where);
        } catch (TokenStoreException e) {
            throw new TokenStoreException(e.reason(), explain(e.reason(), where));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            if (!key.value().equals(in.readUTF())) {
                throw new TokenStoreException(Reason.CORRUPT, "token store entry " + where + " was sealed for another"
                        + " key: it was copied or renamed. It is ignored; delete it (the connection fetches a new token)");
            }
            TokenSet tokens = StoreFileCodec.readTokenSet(in);
            if (in.available() > 0) {
                throw new IOException("trailing bytes");
            }
            return tokens;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new TokenStoreException(Reason.CORRUPT, explain(Reason.CORRUPT, where));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static String explain(Reason reason, String where) {
        return switch (reason) {
            case WRONG_KEY -> "token store entry " + where + " was sealed with a different encryption key"
                    + " (oauth.store.encryption-key). Give every instance sharing the store the same key; entries"
                    + " written with a lost key must be deleted (connections with consent will need it again)";
            case UNSUPPORTED_FORMAT -> "token store entry " + where + " has an unknown format version: it was written"
                    + " by a newer release. Use that release, or delete the entry";
            default -> "token store entry " + where + " is not a valid sealed entry: it was modified, truncated or"
                    + " written by something else. Nothing was read from it; delete it (the connection fetches a new token)";
        };
    }

    @Override
    public String toString() {
        return "TokenSetCipher[AES-256-GCM]";
    }
}
