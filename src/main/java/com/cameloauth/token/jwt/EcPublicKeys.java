package com.cameloauth.token.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Recovers the public key Q = d·G of an EC private key with the JDK's own (constant-time) code: ECDH of d with the
 * generator gives Q's x; y is one of the two square roots of x³ + ax + b, and a test signature picks the right one.
 * A PKCS#8 PEM file often carries no public key, and the RFC 7638 thumbprint (the default kid) needs it.
 */
final class EcPublicKeys {
    private EcPublicKeys() {
    }

    static ECPublicKey derive(ECPrivateKey privateKey) throws GeneralSecurityException {
        ECParameterSpec params = privateKey.getParams();
        BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
        if (!p.testBit(0) || !p.testBit(1)) {
            throw new GeneralSecurityException("unsupported curve field (p mod 4 != 3)");
        }
        KeyFactory factory = KeyFactory.getInstance("EC");
        ECPublicKey generator = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(params.getGenerator(), params));
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(privateKey);
        agreement.doPhase(generator, true);
        BigInteger x = new BigInteger(1, agreement.generateSecret());
        BigInteger a = params.getCurve().getA();
        BigInteger b = params.getCurve().getB();
        BigInteger rhs = x.pow(3).add(a.multiply(x)).add(b).mod(p);
        BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        byte[] probe = "public key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        for (BigInteger candidate : new BigInteger[] {y, p.subtract(y)}) {
            ECPublicKey key = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(new ECPoint(x, candidate), params));
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return key;
            }
        }
        throw new GeneralSecurityException("could not derive the EC public key");
    }
}
