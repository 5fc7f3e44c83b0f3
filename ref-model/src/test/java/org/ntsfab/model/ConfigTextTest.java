package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntsfab.model.config.ConfigText;

/** The configuration's own text parsers, against byte values written out by hand (RFC 4291 section 2.2 for IPv6). */
class ConfigTextTest {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (byte) v[i];
        return out;
    }

    @Test
    void ipv4KnownAnswers() {
        assertArrayEquals(b(192, 0, 2, 1), ConfigText.ipv4("192.0.2.1"));
        assertArrayEquals(b(0, 0, 0, 0), ConfigText.ipv4("0.0.0.0"));
        assertArrayEquals(b(255, 255, 255, 255), ConfigText.ipv4("255.255.255.255"));
        assertArrayEquals(b(10, 0, 100, 9), ConfigText.ipv4("10.0.100.9"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1", "10.0.1", "192.0.2.300", "256.0.0.0", "010.0.0.1", "1.2.3.04", "1.2.3.4.", ".1.2.3", "1.2.3.4.5",
            " 1.2.3.4", "1.2.3.4 ", "1.2.3.-4", "1.2.3.+4", "0x7f.0.0.1", "1.2..3", "", "localhost", "example.com", "\u0661.2.3.4",
            "1.2.3.1000"})
    void ipv4Rejected(String s) {
        assertNull(ConfigText.ipv4(s), s);
    }

    @Test
    void ipv6KnownAnswers() {
        assertArrayEquals(b(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01), ConfigText.ipv6("2001:db8::1"));
        assertArrayEquals(b(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x23), ConfigText.ipv6("2001:DB8::123"));
        assertArrayEquals(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1), ConfigText.ipv6("::ffff:192.0.2.1"));
        assertArrayEquals(new byte[16], ConfigText.ipv6("::"));
        assertArrayEquals(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), ConfigText.ipv6("::1"));
        assertArrayEquals(b(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), ConfigText.ipv6("1::"));
        assertArrayEquals(b(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8), ConfigText.ipv6("1:2:3:4:5:6:7:8"));
        // "::" for a single group (RFC 4291 allows it; RFC 5952 only advises against writing it)
        assertArrayEquals(b(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0), ConfigText.ipv6("1:2:3:4:5:6:7::"));
        assertArrayEquals(b(0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8), ConfigText.ipv6("::2:3:4:5:6:7:8"));
        // RFC 4291's examples: 2001:DB8:0:0:8:800:200C:417A, FF01::101, and x:x:x:x:x:x:d.d.d.d
        assertArrayEquals(b(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 0x08, 0, 0x20, 0x0c, 0x41, 0x7a), ConfigText.ipv6("2001:DB8::8:800:200C:417A"));
        assertArrayEquals(b(0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x01), ConfigText.ipv6("FF01::101"));
        assertArrayEquals(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 13, 1, 68, 3), ConfigText.ipv6("0:0:0:0:0:0:13.1.68.3"));
        assertArrayEquals(b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 129, 144, 52, 38), ConfigText.ipv6("::FFFF:129.144.52.38"));
        assertArrayEquals(b(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3), ConfigText.ipv6("fd00::1:2:3"));
        assertArrayEquals(b(0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), ConfigText.ipv6("000a::"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1::2::3", ":::", "1:::2", "::1::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "12345::",
            "g::", ":1::", "1:", ":1", "1::2:", "fe80::1%eth0", "fe80::1%1", "[::1]", "::/0", "2001:db8::/32", "::ffff:1.2.3",
            "::ffff:192.0.2.300", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4", "", " ::1", "::1 ", "\uff10::", "0x1::",
            "::ffff:010.0.0.1", "2001:db8:::1"})
    void ipv6Rejected(String s) {
        assertNull(ConfigText.ipv6(s), s);
    }

    @Test
    void macForms() {
        assertArrayEquals(b(0x02, 0x00, 0x5e, 0x10, 0x00, 0x01), ConfigText.mac("02:00:5e:10:00:01"));
        assertArrayEquals(b(0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f), ConfigText.mac("0A-1B-2C-3D-4E-5F"));
        for (String s : new String[] {"02:00-5e:10:00:01", "2:0:5e:10:0:1", "0200.5e10.0001", "02:00:5e:10:00", "02:00:5e:10:00:01:02",
                "02:00:5e:10:00:0g", "02005e100001", "02 00 5e 10 00 01", "02:00:5e:10:00:01 "})
            assertNull(ConfigText.mac(s), s);
    }

    @Test
    void hexBytesExactLength() {
        assertArrayEquals(b(0x00, 0x01, 0xab, 0xcd), ConfigText.hexBytes("0001AbcD", 8));
        assertNull(ConfigText.hexBytes("0001abc", 8));
        assertNull(ConfigText.hexBytes("0001abcd0", 8));
        assertNull(ConfigText.hexBytes("0001abcx", 8));
        assertNull(ConfigText.hexBytes("+001abcd", 8));
    }

    @Test
    void instants() {
        assertEquals(Instant.ofEpochSecond(1_795_478_400L), ConfigText.instant("2026-11-24T00:00:00Z"));  // 20781 days * 86400
        assertEquals(Instant.ofEpochSecond(1_795_478_400L), ConfigText.instant("2026-11-24T01:00:00+01:00"));
        assertEquals(Instant.ofEpochSecond(1_795_478_400L), ConfigText.instant("2026-11-23T19:30:00-04:30"));
        assertEquals(Instant.ofEpochSecond(1_795_478_400L), ConfigText.instant("2026-11-24t00:00:00z"));
        assertEquals(Instant.ofEpochSecond(1_795_478_400L), ConfigText.instant("2026-11-24 00:00:00Z"));
        assertEquals(Instant.ofEpochSecond(1_795_478_400L, 500_000_000), ConfigText.instant("2026-11-24T00:00:00.5Z"));
        assertEquals(Instant.ofEpochSecond(1_795_478_400L, 123_456_789), ConfigText.instant("2026-11-24T00:00:00.123456789Z"));
        for (String s : new String[] {"2026-11-24", "2026-11-24T00:00:00", "2026-11-24T24:00:00Z", "2026-11-24T23:59:60Z",
                "2026-02-30T00:00:00Z", "2026-11-24T00:00Z", "2026-11-24T00:00:00.1234567891Z", "2026-11-24T00:00:00+24:00",
                "+2026-11-24T00:00:00Z", "now", "1795478400", "2026-11-24T00:00:00 Z", "2026-11-24T00:00:00.Z"})
            assertNull(ConfigText.instant(s), s);
    }
}
