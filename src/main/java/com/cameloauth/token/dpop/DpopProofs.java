package com.cameloauth.token.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;

import com.cameloauth.connection.DpopSettings;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;

/**
 * DPoP proofs (RFC 9449) of one connection: a key pair made when the engine starts and kept in memory only, and a fresh
 * proof per HTTP request ({@code htm}, {@code htu} without query and fragment, {@code iat} from the clock, a random
 * {@code jti}, {@code ath} for API calls). Nonces (section 8, 9) are remembered separately for the token endpoint and
 * for the API, as the last server that asked for one sent them. Safe for concurrent use; never logs a proof.
 */
public final class DpopProofs {
    /** The request header that carries a proof, and the response header that carries a nonce. */
    public static final String HEADER = "DPoP";
    public static final String NONCE_HEADER = "DPoP-Nonce";
    /** The error code of a server that wants a (new) nonce in the proof. */
    public static final String USE_DPOP_NONCE = "use_dpop_nonce";

    private final DefaultDPoPProofFactory factory;
    private final Clock clock;
    private final String thumbprint;
    private volatile String tokenEndpointNonce;
    private volatile String apiNonce;

    private DpopProofs(DefaultDPoPProofFactory factory, Clock clock, String thumbprint) {
        this.factory = factory;
        this.clock = clock;
        this.thumbprint = thumbprint;
    }

    /** A new key pair for a connection (P-256 for ES256, RSA 2048 for RS256 and PS256). */
    public static DpopProofs generate(DpopSettings settings, Clock clock) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(settings.algorithm());
        try {
            JWK key = algorithm.equals(JWSAlgorithm.ES256) ? new ECKeyGenerator(Curve.P_256).generate()
                    : new RSAKeyGenerator(2048).generate();
            return new DpopProofs(new DefaultDPoPProofFactory(key, algorithm), Objects.requireNonNull(clock, "clock"),
                    key.computeThumbprint().toString());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a DPoP key pair for " + algorithm, e);
        }
    }

    /** The JWK SHA-256 thumbprint of the public key (RFC 7638): the {@code jkt} a bound token's {@code cnf} carries. */
    public String thumbprint() {
        return thumbprint;
    }

    /** A proof for a token request (no {@code ath}), with the token endpoint's last nonce. */
    public String forTokenRequest(String method, URI uri) {
        return proof(method, uri, null, tokenEndpointNonce);
    }

    /** A proof for an API call with {@code accessToken} (its hash is the {@code ath}), with the API's last nonce. */
    public String forApiCall(String method, URI uri, String accessToken) {
        return proof(method, uri, new DPoPAccessToken(accessToken), apiNonce);
    }

    /** The token endpoint sent a nonce (with {@code use_dpop_nonce}, or with any answer): the next proofs carry it. */
    public void tokenEndpointNonce(String nonce) {
        if (nonce != null && !nonce.isBlank()) {
            tokenEndpointNonce = nonce.trim();
        }
    }

    /** The API sent a nonce: the next API proofs carry it. */
    public void apiNonce(String nonce) {
        if (nonce != null && !nonce.isBlank()) {
            apiNonce = nonce.trim();
        }
    }

    private String proof(String method, URI uri, DPoPAccessToken token, String nonce) {
        try {
            return factory.createDPoPJWT(new JWTID(DPoPProofFactory.MINIMAL_JTI_BYTE_LENGTH), method, htu(uri),
                    Date.from(clock.instant()), token, nonce == null ? null : new Nonce(nonce)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a DPoP proof (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** RFC 9449 4.2: the request URI without query and fragment. */
    static URI htu(URI uri) {
        try {
            return new URI(uri.getScheme(), uri.getRawAuthority() == null ? null : uri.getAuthority(), uri.getPath(),
                    null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make the htu of a DPoP proof", e);
        }
    }

    @Override
    public String toString() {
        return "DpopProofs[" + factory.getJWSAlgorithm() + ", jkt " + thumbprint + "]";
    }
}
