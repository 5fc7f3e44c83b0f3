package org.ntsfab.responder.nts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ntsfab.harness.AxisFrames;
import org.ntsfab.harness.SimOptions;
import org.ntsfab.harness.SimSeeds;
import org.ntsfab.harness.Testbench;
import org.ntsfab.hdl.Design;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.Responder;
import org.ntsfab.model.ResponderConfig;
import org.ntsfab.model.crypto.AesSiv;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.nts.MasterKeys;
import org.ntsfab.model.traffic.FrameBuilder;
import org.ntsfab.model.traffic.NtsClient;
import org.ntsfab.model.wire.NtsAuthenticator;

/**
 * The NTS core's request-to-answer path against the reference model ({@link Responder}, which decides by itself): every
 * request's outcome (answer, NAK for its cookie, NAK for its authenticator, malformed) and the answer's or NAK's UDP
 * payload byte for byte, read back from the context's memory. The corpus: AEAD 15 and AEAD 17 requests (a third AEAD 17, of every kind below) with 0-7 placeholders,
 * plain and encrypted (and other encrypted fields), identifiers of 32-68 bytes, nonces of 16-28 bytes, padding after
 * the authenticator's ciphertext; cookies under the current, an old and an unknown master key, corrupted cookies
 * (tag, ciphertext, length), corrupted authenticators (tag, associated data), malformed requests (after the walk of
 * an encrypted field too); a rotation of the current key between rounds; 31 requests in flight at once, input with
 * idle cycles and results under backpressure. The header each answer starts with comes from the model's answer to
 * a plain NTP request with the same header (the core is given it, as the top's header path will).
 */
class NtsCoreSimTest {
    static final long[] IDS = {0x1111_0001L, 0x2222_0002L, 0x3333_0003L};

    record Req(byte[] payload, String kind, boolean aead17, byte[] uid, CookieCodec.Keys keys) {}

    static byte[] rand(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /**
     * On the combined pipeline with 32 lanes (the 10GbE core) and on four iterative AES units with 16 lanes (the byte-wide
     * build's): rounds of as many requests as the core has contexts, about 124 requests either way.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "aes units {0}, lanes {1}")
    @org.junit.jupiter.params.provider.CsvSource({"0, 32", "4, 16"})
    void answersAndNaksAreTheModelsByteForByte(int aesUnits, int lanes) throws Exception {
        int contexts = lanes - 1, rounds = 4 * NtsCore.CONTEXTS / contexts;
        ConfigFile cf = ConfigFile.load(Path.of("../configs/example.toml"));
        ResponderConfig base = cf.responder(Instant.parse("2026-12-01T00:00:00Z"));
        long seed = SimSeeds.announce("nts_core_32", "core", false);
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Long, byte[]> master = new LinkedHashMap<>();
        for (long id : IDS) master.put(id, rand(rnd, 32));
        byte[] nonceSeed = rand(rnd, 16);
        ResponderConfig rc = withNts(base, new ResponderConfig.Nts(new MasterKeys(master, IDS[1]), nonceSeed));
        Responder model = new Responder(rc), plain = new Responder(rc);
        FrameBuilder.Endpoints ep = new FrameBuilder.Endpoints(rc.mac(), rc.ipv4(), rc.ipv6(), new byte[] {2, 0, 0, 0, 0, 7},
                new byte[] {(byte) 192, 0, 2, 7}, rc.ipv6(), rc.vlan());

        Design d = Design.elaborate(() -> new NtsCore(aesUnits, lanes));
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        Map<String, Integer> kinds = new HashMap<>();
        int aead17 = 0, verified = 0;
        try (Testbench tb = Testbench.of(d).source("job").source("in").source("key_load").source("release").source("rd_req").source("ans_rd_req")
                .sink("result").sink("rd_res").sink("ans_rd_res")
                .build(SimOptions.fast(), seed)) {
            tb.offerProbability("in", 0.8);
            tb.readyProbability("result", 0.5);
            tb.readyProbability("ans_rd_res", 0.7);
            tb.set("max_placeholders", rc.maxPlaceholders());
            loadKeys(tb, master, nonceSeed);
            tb.runUntilDrained(10_000, 200);

            long request = 0, rx = 1_000_000;
            int current = 1;
            for (int round = 0; round < rounds; round++) {
                if (round == 2) {
                    // rotation: slot 2's key becomes the current one (fresh cookies under it), the others stay live
                    current = 2;
                    model.useKeys(new MasterKeys(master, IDS[2]));
                    tb.set("key_current", 2);
                }
                List<Req> reqs = new ArrayList<>();
                for (int i = 0; i < contexts; i++) reqs.add(request(rnd, master, IDS[current]));
                List<byte[]> want = new ArrayList<>();
                List<Outcome> wantOutcome = new ArrayList<>();
                for (Req q : reqs) {
                    rx += 10_000;
                    long tx = rx + 5_000;
                    Responder.Result m = model.process(FrameBuilder.udpFrame(ep, false, 40000, 123, q.payload()), false, rx);
                    Responder.Result h = plain.process(FrameBuilder.udpFrame(ep, false, 40000, 123, Arrays.copyOf(q.payload(), 48)), false, rx);
                    assertEquals(Outcome.ANSWER_NTP, h.outcome());
                    byte[] header = udpPayload(h.answer().at(tx));
                    wantOutcome.add(m.outcome());
                    want.add(m.answer() == null ? null : udpPayload(m.answer().at(tx)));
                    tb.push("job", BigInteger.valueOf(request), new BigInteger(1, header), BigInteger.valueOf(request++ & 0xffff));
                    for (AxisFrames.Beat b : AxisFrames.toBeats(q.payload(), 8, 0)) tb.push("in", b.fields());
                }
                int before = tb.beats("result").size();
                tb.runUntilDrained(1_000_000, 0);
                for (int waited = 0; tb.beats("result").size() < before + reqs.size() && waited < 200_000; waited += 500) tb.run(500);
                List<Testbench.Beat> results = tb.beats("result").subList(before, tb.beats("result").size());
                assertEquals(reqs.size(), results.size(), "round " + round + ": one result per request");
                // with every context free at the round's start, request j took context j
                Map<Integer, Testbench.Beat> byContext = new HashMap<>();
                for (Testbench.Beat b : results) byContext.put((int) b.field(0), b);
                // the payloads from the answer memory (8 bytes a read, as the emitter reads them), and their sums
                int readsBefore = tb.beats("ans_rd_res").size();
                List<int[]> reads = new ArrayList<>();
                long[] sums = new long[reqs.size()];
                int si = tb.plainOutIndex("payload_sum");
                for (int j = 0; j < reqs.size(); j++) {
                    Testbench.Beat b = byContext.get(j);
                    assertTrue(b != null, "round " + round + ": no result for context " + j);
                    for (int off = 0; off < (int) b.field(2); off += 8) {
                        reads.add(new int[] {j, off});
                        tb.push("ans_rd_req", BigInteger.valueOf(j), BigInteger.valueOf(off));
                    }
                    tb.set("sum_context", j);
                    tb.run(2);
                    List<BigInteger[]> hist = tb.plainHistory();
                    sums[j] = hist.get(hist.size() - 1)[si].longValue();
                }
                tb.runUntilDrained(1_000_000, 20);
                List<Testbench.Beat> got = tb.beats("ans_rd_res").subList(readsBefore, tb.beats("ans_rd_res").size());
                assertEquals(reads.size(), got.size());
                Map<Integer, byte[]> answers = new HashMap<>();
                for (int j = 0; j < reqs.size(); j++) answers.put(j, new byte[((int) byContext.get(j).field(2) + 7) / 8 * 8]);
                for (int n = 0; n < reads.size(); n++) {
                    byte[] blk = toBytes(got.get(n).fields()[0], 8);
                    System.arraycopy(blk, 0, answers.get(reads.get(n)[0]), reads.get(n)[1], 8);
                }
                for (int j = 0; j < reqs.size(); j++) {
                    Req q = reqs.get(j);
                    Testbench.Beat b = byContext.get(j);
                    String what = "round " + round + " request " + j + " (" + q.kind() + ", " + q.payload().length + " bytes)";
                    kinds.merge(q.kind() + " -> " + wantOutcome.get(j), 1, Integer::sum);
                    seen.merge(wantOutcome.get(j), 1, Integer::sum);
                    assertEquals(code(wantOutcome.get(j)), b.field(1), what + ": outcome " + wantOutcome.get(j));
                    byte[] w = want.get(j);
                    assertEquals(w == null ? 0 : w.length, b.field(2), what + ": payload length");
                    if (w != null) {
                        assertArrayEquals(w, Arrays.copyOf(answers.get(j), w.length), what + ": payload");
                        assertEquals(onesSum(w), sums[j], what + ": the payload's ones'-complement sum");
                    }
                    if (wantOutcome.get(j) == Outcome.ANSWER_NTS) {
                        // and as a client sees it: the answer opens under S2C, its fresh cookies open under the current key to C2S, S2C
                        var v = NtsClient.verify(Arrays.copyOf(answers.get(j), w.length), q.uid(), q.keys().s2c());
                        assertTrue(v.isPresent(), what + ": the client's check of the answer");
                        for (byte[] c : v.get().cookies()) {
                            assertEquals(IDS[current], new BigInteger(1, Arrays.copyOf(c, 4)).longValue(), what + ": fresh cookie's key id");
                            CookieCodec.Opened o = new CookieCodec(new MasterKeys(master, IDS[current])).open(c);
                            assertTrue(o.keys() != null && Arrays.equals(o.keys().c2s(), q.keys().c2s()) && Arrays.equals(o.keys().s2c(), q.keys().s2c()),
                                    what + ": a fresh cookie opens to the session's keys");
                        }
                        verified++;
                        if (q.aead17()) aead17++;
                    }
                }
                for (int j = 0; j < reqs.size(); j++) tb.push("release", BigInteger.valueOf(j));
                tb.runUntilDrained(10_000, 4);
            }
            System.out.printf("%s: %s; kinds %s; %d answers verified as a client, %d of them AEAD 17%n", d.topName(), seen, kinds, verified, aead17);
            assertTrue(aead17 > 8, "AEAD 17 answers: " + aead17);
            assertTrue(seen.getOrDefault(Outcome.ANSWER_NTS, 0) > 40, "answers: " + seen);
            assertTrue(seen.getOrDefault(Outcome.ANSWER_NTS_NAK_COOKIE, 0) > 5, "cookie NAKs: " + seen);
            assertTrue(seen.getOrDefault(Outcome.ANSWER_NTS_NAK_AUTH, 0) > 3, "authenticator NAKs: " + seen);
            assertTrue(seen.getOrDefault(Outcome.DROP_NTS_MALFORMED, 0) > 3, "malformed: " + seen);
            assertTrue(tb.violations().isEmpty(), tb.violations().toString());
        }
    }

    /** Slots 0-2 the three master keys of {@link #IDS} (slot 1 current), slot 3 empty; the nonce seed. */
    static void loadKeys(Testbench tb, Map<Long, byte[]> master, byte[] nonceSeed) {
        BigInteger ids = BigInteger.ZERO;
        for (int s = 0; s < 3; s++) {
            ids = ids.or(BigInteger.valueOf(IDS[s]).shiftLeft(32 * s));
            byte[] k = master.get(IDS[s]);
            tb.push("key_load", BigInteger.ZERO, BigInteger.valueOf(s), new BigInteger(1, Arrays.copyOf(k, 16)),
                    new BigInteger(1, Arrays.copyOfRange(k, 16, 32)));
        }
        tb.push("key_load", BigInteger.ONE, BigInteger.ZERO, new BigInteger(1, nonceSeed), BigInteger.ZERO);
        tb.setBig("key_ids", ids);
        tb.set("key_valid", 0b0111);
        tb.set("key_current", 1);
    }

    /** {@code base} with {@code nts} as its NTS state. */
    static ResponderConfig withNts(ResponderConfig base, ResponderConfig.Nts nts) {
        return new ResponderConfig(base.mac(), base.ipv4(), base.ipv6(), base.vlan(), base.forwardUnmatched(), base.ttl(), base.stratum(),
                base.refid(), base.precision(), base.rootDelay(), base.rootDispersion(), base.synced(), base.icmpMaxPayload(), base.maxPlaceholders(),
                base.clock(), nts);
    }

    /** RFC 1071's sum of 16-bit big-endian words (an odd last byte padded with zero), folded to 16 bits. */
    static long onesSum(byte[] b) {
        long s = 0;
        for (int i = 0; i < b.length; i += 2) s += (b[i] & 0xff) << 8 | (i + 1 < b.length ? b[i + 1] & 0xff : 0);
        while ((s >> 16) != 0) s = (s & 0xffff) + (s >> 16);
        return s;
    }

    static int code(Outcome o) {
        return switch (o) {
            case ANSWER_NTS -> NtsCore.OUT_ANSWER;
            case ANSWER_NTS_NAK_COOKIE -> NtsCore.OUT_NAK_COOKIE;
            case ANSWER_NTS_NAK_AUTH -> NtsCore.OUT_NAK_AUTH;
            case DROP_NTS_MALFORMED -> NtsCore.OUT_MALFORMED;
            default -> throw new AssertionError("not an NTS core outcome: " + o);
        };
    }

    /** The UDP payload of an untagged or 802.1Q-tagged IPv4 frame. */
    static byte[] udpPayload(byte[] f) {
        int o = 12;
        if ((f[o] & 0xff) == 0x81 && f[o + 1] == 0) o += 4;
        int ip = o + 2, ihl = (f[ip] & 0x0f) * 4, udp = ip + ihl;
        int len = ((f[udp + 4] & 0xff) << 8 | (f[udp + 5] & 0xff)) - 8;
        return Arrays.copyOfRange(f, udp + 8, udp + 8 + len);
    }

    static byte[] toBytes(BigInteger v, int n) {
        byte[] b = v.toByteArray(), out = new byte[n];
        int copy = Math.min(n, b.length);
        System.arraycopy(b, b.length - copy, out, n - copy, copy);
        return out;
    }

    static byte[] ef(int type, byte[] body) {
        return FrameBuilder.ef(type, body);
    }

    /** One request of a random kind, for either AEAD (AEAD 17 a third of them), at most 1472 bytes (a 1500-byte MTU's UDP payload). */
    static Req request(SplittableRandom r, Map<Long, byte[]> master, long currentId) {
        while (true) {
            Req q = request(r, master, currentId, r.nextInt(3) == 0);
            if (q.payload().length <= 1472) return q;
        }
    }

    static Req request(SplittableRandom r, Map<Long, byte[]> master, long currentId, boolean aead17) {
        int pick = r.nextInt(100);
        CookieCodec.Keys keys = NtsClient.keys(new java.util.Random(r.nextLong()), aead17 ? CookieCodec.AEAD_AES_SIV_CMAC_512 : CookieCodec.AEAD_AES_SIV_CMAC_256);
        // the cookie under the current key, mostly; under an old one sometimes
        long under = r.nextInt(4) == 0 ? IDS[r.nextInt(3)] : currentId;
        byte[] cookie = new CookieCodec(new MasterKeys(master, under)).seal(keys, rand(r, 16));
        byte[] uid = rand(r, 32 + 4 * r.nextInt(10) + (r.nextInt(4) == 0 ? r.nextInt(4) : 0));
        byte[] header = FrameBuilder.ntpRequest(4, 3, r.nextLong());
        int placeholders = r.nextInt(3) == 0 ? r.nextInt(8) : r.nextInt(2);
        byte[] encrypted = new byte[0];
        String kind = "answer";
        int nonceLength = 16, padding = 0;
        if (pick < 12) {
            // encrypted placeholders and other encrypted fields
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++)
                encrypted = FrameBuilder.concat(encrypted, r.nextBoolean() ? ef(Responder.EF_PLACEHOLDER, new byte[cookie.length]) : ef(0x7777, rand(r, 12 + 4 * r.nextInt(6))));
            kind = "encrypted fields";
        } else if (pick < 18) {
            nonceLength = 16 + 4 * r.nextInt(4) + r.nextInt(2);
            padding = 4 * r.nextInt(4);
            kind = "long nonce, padding";
        } else if (pick < 24) {
            kind = "cookie under an unknown key";
            long unknown = 0x4444_0004L;
            byte[] other = Arrays.copyOf(master.get(IDS[0]), 32);
            Map<Long, byte[]> m = new LinkedHashMap<>();
            m.put(unknown, other);
            cookie = new CookieCodec(new MasterKeys(m, unknown)).seal(keys, rand(r, 16));
        } else if (pick < 34) {
            kind = "corrupted cookie";
            cookie = cookie.clone();
            int at = r.nextInt(3) == 0 ? 20 + r.nextInt(16) : 36 + r.nextInt(cookie.length - 36);
            cookie[at] ^= (byte) (1 << r.nextInt(8));
        } else if (pick < 37) {
            kind = "short cookie";
            cookie = Arrays.copyOf(cookie, cookie.length - 4 * (1 + r.nextInt(3)));
        } else if (pick < 45) {
            kind = "corrupted authenticator";
        } else if (pick < 52) {
            kind = "malformed";
        } else if (pick < 55) {
            kind = "malformed encrypted field";
            encrypted = r.nextBoolean() ? ef(Responder.EF_PLACEHOLDER, new byte[cookie.length + 4]) : new byte[] {0x77, 0x77, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0};
        }
        byte[] nonce = rand(r, nonceLength);
        byte[] prefix = FrameBuilder.concat(header, ef(Responder.EF_UNIQUE_ID, uid), ef(Responder.EF_COOKIE, cookie));
        for (int i = 0; i < placeholders; i++) prefix = FrameBuilder.concat(prefix, ef(Responder.EF_PLACEHOLDER, new byte[cookie.length]));
        if (kind.equals("malformed")) {
            switch (r.nextInt(4)) {
                case 0 -> prefix = FrameBuilder.concat(prefix, ef(Responder.EF_COOKIE, cookie));          // two cookies
                case 1 -> prefix = FrameBuilder.concat(header, ef(Responder.EF_UNIQUE_ID, rand(r, 28)), ef(Responder.EF_COOKIE, cookie));  // short identifier
                case 2 -> prefix = FrameBuilder.concat(header, ef(Responder.EF_COOKIE, cookie));          // no identifier
                default -> prefix = FrameBuilder.concat(prefix, ef(Responder.EF_PLACEHOLDER, new byte[cookie.length + 8]));  // a placeholder of another length
            }
        }
        byte[] c2s = keys.c2s();
        byte[] sealed = new AesSiv(c2s).seal(List.of(prefix, nonce), encrypted);
        if (kind.equals("corrupted authenticator")) {
            if (r.nextBoolean()) sealed[r.nextInt(sealed.length)] ^= (byte) (1 << r.nextInt(8));
            else prefix[1 + r.nextInt(47)] ^= (byte) (1 << r.nextInt(8));
        }
        NtsAuthenticator auth = new NtsAuthenticator(nonce, sealed);
        return new Req(FrameBuilder.concat(prefix, auth.field(auth.naturalLength() + padding)), aead17 ? kind + " (AEAD 17)" : kind, aead17, uid, keys);
    }
}
