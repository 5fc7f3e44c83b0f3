package org.ntsfab.ke;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM certificate chains and private keys (PKCS#8, or traditional EC/RSA) via Bouncy Castle. */
public final class Pem {
    private Pem() {}

    /** DER encodings of every certificate in the file, leaf first. */
    public static List<byte[]> certificates(Path p) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.US_ASCII); PEMParser pp = new PEMParser(r)) {
            for (Object o; (o = pp.readObject()) != null; )
                if (o instanceof X509CertificateHolder h) out.add(h.getEncoded());
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IOException(p + ": not a PEM certificate chain (" + oneLine(e) + ")", e);
        }
        if (out.isEmpty()) throw new IOException(p + ": no certificate in it (expected a PEM certificate chain)");
        return out;
    }

    public static PrivateKey privateKey(Path p) throws IOException {
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.US_ASCII); PEMParser pp = new PEMParser(r)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            for (Object o; (o = pp.readObject()) != null; ) {
                if (o instanceof PrivateKeyInfo pki) return conv.getPrivateKey(pki);
                if (o instanceof PEMKeyPair kp) return conv.getPrivateKey(kp.getPrivateKeyInfo());
            }
        } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IOException(p + ": not a PEM private key (" + oneLine(e) + ")", e);
        }
        throw new IOException(p + ": no private key in it (expected an unencrypted PEM key: PKCS#8, EC or RSA)");
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
