package org.ntsfab.responder.nts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.gen.LibraryTops;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.model.NtsRequest;
import org.ntsfab.model.Responder;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.wire.Bytes;
import org.ntsfab.model.wire.ExtensionField;

/**
 * The NTS core's parser against the model's {@link NtsRequest#parse} (spec §9.1) on 2 000 requests the classifier would
 * pass (their field chains walk): chrony's shape and AEAD 17's, 0..7 placeholders, unknown fields anywhere, nonces of
 * 16..24 bytes, ciphertexts of 16..80, padding after them; and each rule broken (short or second Unique Identifier,
 * second cookie, placeholder of another length, authenticator not last, short nonce or ciphertext, lengths overrunning
 * the body, fields missing): the verdict and every offset equal, with idle input and output backpressure.
 */
class NtsRequestParserSimTest {
    private static byte[] ef(int type, int bodyLength, SplittableRandom r) {
        byte[] body = new byte[bodyLength];
        r.nextBytes(body);
        return ExtensionField.write(type, body);
    }

    private static byte[] auth(int nonce, int ciphertext, int pad, SplittableRandom r) {
        byte[] body = new byte[4 + ((nonce + 3) & ~3) + ((ciphertext + 3) & ~3) + pad];
        r.nextBytes(body);
        Bytes.put16(body, 0, nonce);
        Bytes.put16(body, 2, ciphertext);
        return ExtensionField.write(Responder.EF_AUTHENTICATOR, body);
    }

    /** A request, well formed or with one rule broken (about a third). */
    private static byte[] request(SplittableRandom r) {
        int fault = r.nextInt(30);
        int cookie = r.nextInt(4) == 0 ? 164 : 100;
        List<byte[]> fields = new ArrayList<>();
        fields.add(ef(Responder.EF_UNIQUE_ID, fault == 0 ? 28 : 32 + 4 * r.nextInt(5), r));
        if (fault == 1) fields.add(ef(Responder.EF_UNIQUE_ID, 32, r));
        if (fault != 2) fields.add(ef(Responder.EF_COOKIE, cookie, r));
        if (fault == 3) fields.add(ef(Responder.EF_COOKIE, cookie, r));
        int ph = r.nextInt(8);
        for (int i = 0; i < ph; i++) fields.add(ef(Responder.EF_PLACEHOLDER, fault == 4 && i == 0 ? cookie - 4 : cookie, r));
        for (int u = r.nextInt(3); u > 0; u--) fields.add(r.nextInt(fields.size() + 1), ef(0x2000 + r.nextInt(100), 12 + 4 * r.nextInt(12), r));
        if (fault == 5) fields.add(ef(0x1234, 12, r));
        if (fault == 6) Collections.shuffle(fields, new java.util.Random(r.nextLong()));
        int nonce = fault == 7 ? 12 : 16 + r.nextInt(9), ct = fault == 8 ? 8 + r.nextInt(8) : 16 + r.nextInt(65);
        byte[] a = auth(nonce, ct, 4 * r.nextInt(3), r);
        if (fault == 9) Bytes.put16(a, 6, ct + 8 + 4 * r.nextInt(4));
        if (fault == 10) Bytes.put16(a, 4, nonce + 8 + 4 * r.nextInt(4));
        if (fault != 11) fields.add(fault == 5 ? fields.size() - 1 : fields.size(), a);
        return FrameBuilder.concat(FrameBuilder.ntpRequest(4, 3, r.nextLong()), FrameBuilder.concat(fields.toArray(new byte[0][])));
    }

    @Test
    void fieldsAndVerdictEqualTheModel() throws Exception {
        long seed = SimSeeds.announce("nts_request_parser", "requests", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> reqs = new ArrayList<>();
        List<Optional<NtsRequest>> want = new ArrayList<>();
        while (reqs.size() < 2000) {
            byte[] q = request(rnd);
            List<ExtensionField> efs;
            try {
                efs = ExtensionField.walk(q, 48, q.length, true);
            } catch (ExtensionField.WalkException e) {
                continue;  // the classifier drops it before NTS
            }
            if (q.length > 1472) continue;
            reqs.add(q);
            want.add(NtsRequest.parse(q, efs));
        }
        long malformed = want.stream().filter(Optional::isEmpty).count();
        assertTrue(malformed > 300 && malformed < 1000, "a mix: " + malformed + " malformed of 2000");
        try (Testbench tb = Testbench.of(LibraryTops.elaborate("nts_request_parser")).source("in").sink("fields").build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", 0.7);
            tb.readyProbability("fields", 0.5);
            for (byte[] q : reqs) {
                for (int b = 0; b < q.length; b += 8) {
                    long data = 0;
                    int n = Math.min(8, q.length - b);
                    for (int i = 0; i < n; i++) data |= (q[b + i] & 0xffL) << (8 * i);
                    tb.push("in", BigInteger.valueOf(data).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)), BigInteger.valueOf((1 << n) - 1),
                            BigInteger.valueOf(b + 8 >= q.length ? 1 : 0), BigInteger.ZERO);
                }
            }
            tb.runUntilDrained(5_000_000, 64);
            List<Testbench.Beat> got = tb.beats("fields");
            assertEquals(reqs.size(), got.size(), "one result per request");
            for (int k = 0; k < reqs.size(); k++) {
                Testbench.Beat g = got.get(k);
                Optional<NtsRequest> w = want.get(k);
                String what = "request " + k + " (" + reqs.get(k).length + " bytes; parser " + java.util.Arrays.toString(g.fields()) + ", model "
                        + w.map(Object::toString).orElse("malformed") + ")";
                assertEquals(w.isEmpty() ? 1 : 0, g.field(0), what + ": malformed");
                if (w.isEmpty()) continue;
                NtsRequest r = w.get();
                long[] expect = {r.uid().offset(), r.uid().length(), r.cookie().offset(), r.cookieBody(), r.placeholders(), r.auth().offset(),
                        r.nonceOffset(), r.nonceLength(), r.ciphertextOffset(), r.ciphertextLength()};
                String[] names = {"uid_offset", "uid_length", "cookie_offset", "cookie_body", "placeholders", "auth_offset", "nonce_offset",
                        "nonce_length", "ciphertext_offset", "ciphertext_length"};
                for (int i = 0; i < expect.length; i++) assertEquals(expect[i], g.field(i + 1), what + ": " + names[i]);
            }
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
        }
    }
}
