package org.ntsfab.ke;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A self-signed ECDSA P-256 certificate for test and lab set-ups (clients must trust it explicitly). */
public final class SelfSigned {
    private SelfSigned() {}

    public static void create(Path certPem, Path keyPem, String commonName, List<String> dnsNames, List<String> ips) throws IOException {
        try {
            // Bouncy Castle's EC keys encode their curve and public key, which GnuTLS (chrony) requires
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            for (String d : dnsNames) sans.add(new GeneralName(GeneralName.dNSName, d));
            for (String ip : ips) sans.add(new GeneralName(GeneralName.iPAddress, ip));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509CertificateHolder cert = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            write(certPem, cert);
            write(keyPem, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null).generate());
        } catch (java.security.GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create a certificate: " + e.getMessage(), e);
        }
    }

    private static void write(Path p, Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        Files.writeString(p, sw.toString(), StandardCharsets.US_ASCII);
    }
}
