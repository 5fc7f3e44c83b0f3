package org.ntsfab.model;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.nts.CookieCodec;
import org.ntsfab.model.nts.MasterKeys;
import org.ntsfab.model.traffic.FrameBuilder;

/** A server configuration and client endpoints shared by the responder tests. */
final class Fixture {
    static final byte[] SERVER_MAC = HexFormat.of().parseHex("02005e100001");
    static final byte[] SERVER_IP4 = {(byte) 192, 0, 2, 123};
    static final byte[] SERVER_IP6 = HexFormat.of().parseHex("20010db8000000000000000000000123");
    static final byte[] CLIENT_MAC = HexFormat.of().parseHex("020000abcdef");
    static final byte[] CLIENT_IP4 = {(byte) 198, 51, 100, 7};
    static final byte[] CLIENT_IP6 = HexFormat.of().parseHex("20010db8000000000000000000000007");
    static final byte[] KEY1 = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] KEY2 = HexFormat.of().parseHex("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
    static final byte[] SEED = HexFormat.of().parseHex("0f0e0d0c0b0a09080706050403020100");
    /** 2026-11-24T00:00:00Z as NTP seconds: (Unix 1795478400) + 2208988800. */
    static final long START_SECONDS = 1795478400L + 2208988800L;
    static final long HZ = 156_250_000L;

    static FrameBuilder.Endpoints endpoints(int vlan) {
        return new FrameBuilder.Endpoints(SERVER_MAC, SERVER_IP4, SERVER_IP6, CLIENT_MAC, CLIENT_IP4, CLIENT_IP6, vlan);
    }

    static NtpClock clock() {
        return new NtpClock(START_SECONDS << 32, NtpClock.stepFor(HZ), NtpClock.Leap.NONE, 0);
    }

    static MasterKeys keys(long current) {
        Map<Long, byte[]> m = new LinkedHashMap<>();
        m.put(1L, KEY1);
        m.put(2L, KEY2);
        return new MasterKeys(m, current);
    }

    static ResponderConfig config(boolean nts, boolean forward, int vlan) {
        return new ResponderConfig(SERVER_MAC, SERVER_IP4, SERVER_IP6, vlan, forward, 64, 1, new byte[] {'G', 'P', 'S', 0},
                -24, 0x00000010L, 0x00000020L, true, 1472, 7, clock(),
                nts ? new ResponderConfig.Nts(keys(1), SEED) : null);
    }

    static ResponderConfig config() {
        return config(true, true, -1);
    }

    /** A client's NTS state: keys and a cookie sealed under master key {@code keyId}. */
    record Session(CookieCodec.Keys keys, byte[] cookie) {}

    static Session session(long keyId, long seed) {
        Random r = new Random(seed);
        CookieCodec.Keys k = org.ntsfab.model.traffic.NtsClient.keys(r);
        byte[] nonce = new byte[16];
        r.nextBytes(nonce);
        byte[] cookie = new CookieCodec(keys(keyId)).seal(k, nonce);
        return new Session(k, cookie);
    }
}
