package com.cameloauth.token.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.cameloauth.token.store.TokenStoreException.Reason;

/**
 * The envelope of a store file: AES-256-GCM with a fresh random 96-bit nonce for every write.
 *
 * <pre>
 * offset  0  magic "COTS"                  4 bytes  \
 * offset  4  format version (1)            1 byte    } authenticated (AAD)
 * offset  5  key check                     8 bytes  /
 * offset 13  nonce                        12 bytes
 * offset 25  ciphertext + 128-bit GCM tag
 * </pre>
 *
 * The key check (HMAC-SHA256 of a fixed label under the key, first 8 bytes) lets a wrong key be told apart from a
 * modified file; it reveals nothing an attacker could not learn by trying a key against the GCM tag.
 */
final class StoreFileCipher {
    static final int FORMAT_VERSION = 1;
    static final int KEY_BYTES = 32;
    private static final byte[] MAGIC = "COTS".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_CHECK_BYTES = 8;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final int HEADER_BYTES = MAGIC.length + 1 + KEY_CHECK_BYTES;
    private static final int MIN_FILE_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BITS / 8;

    private final SecretKeySpec key;
    private final byte[] header;
    private final SecureRandom random = new SecureRandom();

    StoreFileCipher(byte[] keyBytes) {
        if (keyBytes == null || keyBytes.length != KEY_BYTES) {
            throw new TokenStoreException(Reason.INVALID_KEY, "the token store encryption key"
                    + " (oauth.store.encryption-key) must be 32 bytes (AES-256), given as base64; the one configured has "
                    + (keyBytes == null ? 0 : keyBytes.length) + " bytes. Generate one with: openssl rand -base64 32");
        }
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.header = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        header[MAGIC.length] = FORMAT_VERSION;
        System.arraycopy(keyCheck(keyBytes), 0, header, MAGIC.length + 1, KEY_CHECK_BYTES);
    }

    /** Decodes a base64 key. The messages never quote the key, and no decoder exception (which would) is chained. */
    static byte[] decodeKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new TokenStoreException(Reason.INVALID_KEY, "the token store needs an encryption key"
                    + " (oauth.store.encryption-key): the base64 of 32 bytes (AES-256). Generate one with: openssl rand -base64 32");
        }
        String trimmed = base64.strip();
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(trimmed);
            } catch (IllegalArgumentException notUrlSafe) {
                throw new TokenStoreException(Reason.INVALID_KEY, "the token store encryption key"
                        + " (oauth.store.encryption-key) is not valid base64. Generate one with: openssl rand -base64 32");
            }
        }
    }

    byte[] seal(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] file = new byte[HEADER_BYTES + NONCE_BYTES + sealed.length];
            System.arraycopy(header, 0, file, 0, HEADER_BYTES);
            System.arraycopy(nonce, 0, file, HEADER_BYTES, NONCE_BYTES);
            System.arraycopy(sealed, 0, file, HEADER_BYTES + NONCE_BYTES, sealed.length);
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Checks and decrypts a whole file.
     *
     * @param where the file, named in error messages
     */
    byte[] open(byte[] file, String where) {
        if (file.length < MAGIC.length || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw corrupt(where, file.length == 0 ? "is empty" : "is not a token store file (unknown header)");
        }
        if (file.length <= MAGIC.length) {
            throw corrupt(where, "is truncated");
        }
        int version = file[MAGIC.length] & 0xff;
        if (version != FORMAT_VERSION) {
            throw new TokenStoreException(Reason.UNSUPPORTED_FORMAT, "token store " + where + " has format version "
                    + version + ", this version reads " + FORMAT_VERSION + ". Use the release that wrote it, or move the"
                    + " file away (connections with consent will need it again)");
        }
        if (file.length < MIN_FILE_BYTES) {
            throw corrupt(where, "is truncated");
        }
        if (!MessageDigest.isEqual(Arrays.copyOfRange(file, MAGIC.length + 1, HEADER_BYTES),
                Arrays.copyOfRange(header, MAGIC.length + 1, HEADER_BYTES))) {
            throw new TokenStoreException(Reason.WRONG_KEY, "token store " + where + " was written with a different"
                    + " encryption key (oauth.store.encryption-key), or its header was altered. Configure the key it was written with; if that key"
                    + " is lost, move the file away (connections with consent will need it again)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, file, HEADER_BYTES, NONCE_BYTES));
            cipher.updateAAD(file, 0, HEADER_BYTES);
            return cipher.doFinal(file, HEADER_BYTES + NONCE_BYTES, file.length - HEADER_BYTES - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw corrupt(where, "failed its integrity check: it was modified, truncated or damaged");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    static TokenStoreException corrupt(String where, String problem) {
        return new TokenStoreException(Reason.CORRUPT, "token store " + where + " " + problem + ". Nothing was read"
                + " from it. Restore it from a backup, or move it away to start empty (connections with consent will"
                + " need it again)");
    }

    private static byte[] keyCheck(byte[] keyBytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal("camel-oauth token store key check".getBytes(StandardCharsets.US_ASCII)),
                    KEY_CHECK_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
