package org.ntsfab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Permission;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntsfab.model.clock.NtpClock;
import org.ntsfab.model.config.ConfigException;
import org.ntsfab.model.nts.KeyFile;

/**
 * Every configuration value typed and range-checked. The ranges are the protocol's and the hardware's, written out here
 * by hand: ttl 1..255 (8-bit TTL / hop limit, 0 would be discarded at once); vlan 0..4094 (12-bit VID, 4095 reserved);
 * icmp_max_payload 0..1472 (1500-byte MTU - 20 IPv4 - 8 ICMP); stratum 1..15 (RFC 5905: 0 unspecified / kiss-o'-death,
 * 16 unsynchronized); precision -32..0; root delay / dispersion 0..2^32-1 (32-bit NTP short format); frequency_hz >= 2
 * (the 64-bit step round(2^64/f) cannot hold 2^64); NTP era 0 for instants; max_placeholders 0..7; key ids 32 bits.
 */
class ConfigFileTest {
    private static final String MAC = "[interface]\nmac = \"02:00:00:00:00:01\"\n";
    private static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final String SEED = "000102030405060708090a0b0c0d0e0f";

    private static String err(String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse(toml), toml);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static ConfigFile ok(String toml) throws IOException {
        return ConfigFile.parse(toml);
    }

    /** The issue's examples, as they read now. */
    @Test
    void issueExamples() {
        assertEquals("[interface] ttl: expected an integer 1..255, got 300 (line 3)", err(MAC + "ttl = 300\n"));
        assertEquals("[clock] frequency_hz: expected an integer >= 2 (Hz), got the string \"fast\" (line 4)",
                err(MAC + "[clock]\nfrequency_hz = \"fast\"\n"));
        assertEquals("[ntp] synchronized: expected true or false, got the string \"no\" (line 4)", err(MAC + "[ntp]\nsynchronized = \"no\"\n"));
        String v4 = "expected an IPv4 address of four decimal octets 0..255 without leading zeros, such as \"192.0.2.1\", got the string ";
        assertEquals("[interface] ipv4: " + v4 + "\"10.1\" (line 3)", err(MAC + "ipv4 = \"10.1\"\n"));
        assertEquals("[interface] ipv4: " + v4 + "\"192.0.2.300\" (line 3)", err(MAC + "ipv4 = \"192.0.2.300\"\n"));
    }

    /** "192.0.2.300" and a host name are refused without any name lookup (InetAddress would ask DNS for both). */
    @Test
    @SuppressWarnings("removal")
    void addressesAreNeverLookedUp() {
        SecurityManager none = new SecurityManager() {
            @Override
            public void checkConnect(String host, int port) {
                if (port == -1) throw new SecurityException("name lookup of " + host);
            }

            @Override
            public void checkPermission(Permission perm) {}
        };
        try {
            System.setSecurityManager(none);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("this JVM does not allow a security manager");
        }
        try {
            assertTrue(err(MAC + "ipv4 = \"192.0.2.300\"\n").contains("[interface] ipv4: expected an IPv4 address"));
            assertTrue(err(MAC + "ipv4 = \"localhost\"\n").contains("[interface] ipv4: expected an IPv4 address"));
            assertTrue(err(MAC + "ipv6 = \"ip6-localhost\"\n").contains("[interface] ipv6: expected an IPv6 address"));
            assertThrows(SecurityException.class, () -> java.net.InetAddress.getByName("192.0.2.300"), "the guard sees a lookup");
        } finally {
            System.setSecurityManager(null);
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            // section | key | lowest | highest | below | above | expected
            "interface | ttl              | 1           | 255        | 0           | 256        | an integer 1..255",
            "interface | vlan             | 0           | 4094       | -1          | 4095       | a VLAN id 0..4094 (802.1Q VID; omit the key for untagged)",
            "interface | icmp_max_payload | 0           | 1472       | -1          | 1473       | an integer 0..1472 (bytes of echo data; 1472 = 1500-byte MTU - IPv4 and ICMP headers)",
            "ntp       | stratum          | 1           | 15         | 0           | 16         | an integer 1..15 (1 primary, 2..15 secondary; 16 is served when synchronized = false)",
            "ntp       | precision        | -32         | 0          | -33         | 1          | an integer -32..0 (log2 seconds)",
            "ntp       | root_delay       | 0           | 4294967295 | -1          | 4294967296 | an integer 0..4294967295 (NTP short format: units of 2^-16 s)",
            "ntp       | root_dispersion  | 0           | 4294967295 | -1          | 4294967296 | an integer 0..4294967295 (NTP short format: units of 2^-16 s)",
            "clock     | frequency_hz     | 2           | 9223372036854775807 | 1  | 9223372036854775808 | an integer >= 2 (Hz)",
            "timing    | answer_latency_cycles | 0      | 2147483647 | -1          | 2147483648 | an integer 0..2147483647 (cycles)",
            "nts       | max_placeholders | 0           | 7          | -1          | 8          | an integer 0..7 (7: up to 8 fresh cookies)",
            "nts       | cores            | 1           | 4          | 0           | 5          | an integer 1..4 (NTS cores, each 31 contexts on one AES pipeline)",
            "nts       | residence_cycles | 10000       | 100000000  | 9999        | 100000001  | an integer 10000..100000000 (cycles from a request's first beat to its answer's; the cores are not measured to finish every request sooner)",
            "nts       | budget_bytes     | 1472        | 4000000    | 1471        | 4000001    | an integer 1472..4000000 (UDP payload bytes a core holds at once)",
            "nts       | short_max_bytes  | 0           | 1472       | -1          | 1473       | an integer 0..1472 (UDP payload bytes of the largest short-residence request; 0: one residence for all)",
            "interface | bus_bytes        | 1           | 8          | 0           | 9          | 8 (64-bit bus, 10GbE) or 1 (byte stream, 1G)",
    })
    void rangeEdges(String section, String key, String lo, String hi, String below, String above, String expected) throws IOException {
        for (String v : List.of(lo, hi)) {
            ConfigFile c = ok(doc(section, key, v));
            assertEquals(v, String.valueOf(read(c, key)), key + " = " + v);
        }
        for (String v : List.of(below, above)) {
            int line = section.equals("interface") ? 3 : 4;
            assertEquals("[" + section + "] " + key + ": expected " + expected + ", got " + v + " (line " + line + ")", err(doc(section, key, v)));
        }
    }

    private static String doc(String section, String key, String v) {
        // (a residence below the short one's plus the longest window needs one residence class; a short class beyond 256
        // bytes, the long class's residence)
        String more = key.equals("residence_cycles") ? "short_max_bytes = 0\n" : key.equals("short_max_bytes") ? "short_residence_cycles = 10000\n" : "";
        return section.equals("interface") ? MAC + key + " = " + v + "\n" : MAC + "[" + section + "]\n" + key + " = " + v + "\n" + more;
    }

    private static Object read(ConfigFile c, String key) {
        return switch (key) {
            case "ttl" -> c.ttl();
            case "vlan" -> c.vlan();
            case "icmp_max_payload" -> c.icmpMaxPayload();
            case "stratum" -> c.stratum();
            case "precision" -> c.precision();
            case "root_delay" -> c.rootDelay();
            case "root_dispersion" -> c.rootDispersion();
            case "frequency_hz" -> c.frequencyHz();
            case "answer_latency_cycles" -> c.answerLatencyCycles();
            case "max_placeholders" -> c.maxPlaceholders();
            case "cores" -> c.ntsCapacity().cores();
            case "residence_cycles" -> c.ntsCapacity().residenceCycles();
            case "budget_bytes" -> c.ntsCapacity().budgetBytes();
            case "short_max_bytes" -> c.ntsCapacity().shortMaxBytes();
            case "bus_bytes" -> c.busBytes();
            default -> throw new IllegalArgumentException(key);
        };
    }

    @Test
    void defaultsWhenAbsent() throws IOException {
        ConfigFile c = ok(MAC);
        assertEquals(-1, c.vlan(), "no vlan: untagged");
        assertEquals(64, c.ttl());
        assertEquals(1472, c.icmpMaxPayload());
        assertEquals(1, c.stratum());
        assertArrayEquals(new byte[] {'G', 'P', 'S', 0}, c.refid());
        assertEquals(-24, c.precision());
        assertEquals(156_250_000L, c.frequencyHz());
        assertNull(c.start());
        assertEquals(NtpClock.Leap.NONE, c.leap());
        assertEquals(64, c.answerLatencyCycles());
        assertEquals(7, c.maxPlaceholders());
        assertEquals(8, c.busBytes());
        // one NTS core of 31 contexts, each held from its request's first beat to 400 cycles after its answer's, which
        // leaves 12 000 cycles (76.8 us at 156.25 MHz) after the request's; 16 000 payload bytes in flight per core
        assertEquals(new ResponderConfig.Capacity(1, 31, 12_000, 12_400, 16_000, 256, 3000, 3400), c.ntsCapacity());
        assertTrue(c.ntsKeys().isEmpty());
        assertTrue(c.forwardUnmatched());
        assertTrue(c.synced());
        assertNull(c.ipv4());
        assertNull(c.ipv6());
    }

    @Test
    void theEnginesKeyIsGoneWithTheEngines() throws IOException {
        // a configuration written for the per-request engines says what replaced them, in one line
        String e = err(MAC + "[nts]\nengines = 48\n");
        assertTrue(e.startsWith("[nts] engines: the per-request NTS engines are gone (issue 18)"), e);
        assertTrue(e.contains("cores (1..4") && !e.contains("\n"), e);
        assertTrue(err(MAC + "bus_bytes = 4\n").contains("got 4"));
        // the hold follows the residence; the fabric's model has the capacity, the software appliance's has none
        ConfigFile c = ok(MAC + "[nts]\ncores = 2\nresidence_cycles = 10400\nbudget_bytes = 6000\nshort_max_bytes = 0\n");
        assertEquals(new ResponderConfig.Capacity(2, 31, 10400, 10800, 6000), c.ntsCapacity());
    }

    @Test
    void theShortResidenceClassIsTwoKeysAndItsHoldFollowsIt() throws IOException {
        ConfigFile c = ok(MAC + "[nts]\nshort_max_bytes = 200\nshort_residence_cycles = 2600\n");
        assertEquals(new ResponderConfig.Capacity(1, 31, 12_000, 12_400, 16_000, 200, 2600, 3000), c.ntsCapacity());
        // below what the cores are measured to meet: refused, not answered late with an early T3
        assertEquals("[nts] short_residence_cycles: expected an integer 2600..100000000 (cycles from a short request's first beat to its answer's;"
                + " the cores are not measured to finish a short request sooner), got 2599 (line 4)", err(MAC + "[nts]\nshort_residence_cycles = 2599\n"));
        // a short class beyond 256 bytes has only the long class's measured bound
        String big = err(MAC + "[nts]\nshort_max_bytes = 300\nshort_residence_cycles = 2600\n");
        assertTrue(big.startsWith("[nts] short_residence_cycles: a short class of requests up to 300 bytes needs a short residence of at least 10000 cycles"), big);
        // the long residence must leave the longest answer's window (196 cycles) after the short one
        String e = err(MAC + "[nts]\nresidence_cycles = 10195\nshort_max_bytes = 300\nshort_residence_cycles = 10000\n");
        assertTrue(e.startsWith("[nts] residence_cycles: the long residence (10195 cycles) must be at least the short one (10000) plus the longest answer's window (196)"), e);
        assertFalse(e.contains("\n"), e);
        assertEquals(10196, ok(MAC + "[nts]\nresidence_cycles = 10196\nshort_max_bytes = 300\nshort_residence_cycles = 10000\n").ntsCapacity().residenceCycles());
        assertTrue(err(MAC + "[nts]\nshort_max_bytes = 1473\n").contains("0..1472"));
    }

    /** No coercion between TOML types: a string "64" is not an integer, 64.0 is not an integer, true is not a string. */
    @Test
    void wrongTypes() {
        assertEquals("[interface] ttl: expected an integer 1..255, got the string \"64\" (line 3)", err(MAC + "ttl = \"64\"\n"));
        assertEquals("[interface] ttl: expected an integer 1..255, got the float 64.0 (line 3)", err(MAC + "ttl = 64.0\n"));
        assertEquals("[interface] ttl: expected an integer 1..255, got the float 64.0 (line 3)", err(MAC + "ttl = 6.4e1\n"));
        assertEquals("[interface] ttl: expected an integer 1..255, got the float 1E+3 (line 3)", err(MAC + "ttl = 1e3\n"));
        assertEquals("[interface] ttl: expected an integer 1..255, got the boolean true (line 3)", err(MAC + "ttl = true\n"));
        assertEquals("[interface] ttl: expected an integer 1..255, got an array (line 3)", err(MAC + "ttl = [64]\n"));
        assertEquals("[interface] ttl: expected an integer 1..255, got a table (line 3)", err(MAC + "ttl = { a = 1 }\n"));
        assertEquals("[interface] ttl: expected an integer 1..255, got the float inf (line 3)", err(MAC + "ttl = inf\n"));
        assertEquals("[ntp] refid: expected at most 4 printable ASCII characters, such as \"GPS\", got the boolean true (line 4)",
                err(MAC + "[ntp]\nrefid = true\n"));
        assertEquals("[ntp] refid: expected at most 4 printable ASCII characters, such as \"GPS\", got the integer 1234 (line 4)",
                err(MAC + "[ntp]\nrefid = 1234\n"));
        assertTrue(err(MAC + "[ntp]\nrefid = \"GPSX1\"\n").contains("got the string \"GPSX1\""));
        assertTrue(err(MAC + "[ntp]\nrefid = \"G\u00e9\"\n").contains("[ntp] refid"), "not ASCII");
        assertEquals("[interface] forward_unmatched: expected true or false, got the integer 1 (line 3)", err(MAC + "forward_unmatched = 1\n"));
        assertEquals("[nts] enabled: expected true or false, got the string \"true\" (line 4)", err(MAC + "[nts]\nenabled = \"true\"\n"));
        assertTrue(err("[interface]\nmac = 2\n").startsWith("[interface] mac: expected a unicast MAC address of six octets"));
        assertTrue(err(MAC + "ipv4 = 3221225985\n").contains("got the integer 3221225985"));
        assertTrue(err(MAC + "[clock]\nleap = 1\n").startsWith("[clock] leap: expected \"none\", \"insert\" or \"delete\", got the integer 1"));
        assertTrue(err(MAC + "[clock]\nleap = \"Insert\"\n").contains("got the string \"Insert\""));
        assertEquals("interface: expected a table [interface], got the integer 3 (line 1)", err("interface = 3\n"));
    }

    @Test
    void macAddresses() throws IOException {
        assertArrayEquals(new byte[] {2, 0, 0x5e, 0x10, 0, 1}, ok("[interface]\nmac = \"02-00-5E-10-00-01\"\n").mac());
        String want = "expected a unicast MAC address of six octets such as \"02:00:5e:10:00:01\" (':' or '-' between octets), got the string ";
        assertEquals("[interface] mac: " + want + "\"02:00:5e:10:00\" (line 2)", err("[interface]\nmac = \"02:00:5e:10:00\"\n"));
        assertEquals("[interface] mac: " + want + "\"02005e100001\" (line 2)", err("[interface]\nmac = \"02005e100001\"\n"));
        // the answers' source address: a group address (first octet odd) is never a frame's source
        assertEquals("[interface] mac: expected a unicast MAC address (answers are sent from it; bit 0 of the first octet clear), "
                + "got the group address 01:00:5e:00:00:01 (line 2)", err("[interface]\nmac = \"01:00:5e:00:00:01\"\n"));
        assertTrue(err("[interface]\nmac = \"ff:ff:ff:ff:ff:ff\"\n").contains("group address"));
        assertEquals("[interface] mac: required (our MAC address, such as \"02:00:5e:10:00:01\")", err("[interface]\nttl = 3\n"));
        assertEquals("[interface] mac: required (our MAC address, such as \"02:00:5e:10:00:01\")", err(""));
    }

    @Test
    void ipAddresses() throws IOException {
        ConfigFile c = ok(MAC + "ipv4 = \"203.0.113.77\"\nipv6 = \"2001:db8:aa:bb::4d\"\n");
        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 77}, c.ipv4());
        assertArrayEquals(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, (byte) 0xaa, 0, (byte) 0xbb, 0, 0, 0, 0, 0, 0, 0, 0x4d}, c.ipv6());
        assertTrue(err(MAC + "ipv4 = \"010.0.0.1\"\n").contains("got the string \"010.0.0.1\""));
        String v6 = "[interface] ipv6: expected an IPv6 address in RFC 4291 text form without zone id, such as \"2001:db8::123\", got the string ";
        assertEquals(v6 + "\"1::2::3\"" + " (line 3)", err(MAC + "ipv6 = \"1::2::3\"\n"));
        assertEquals(v6 + "\"fe80::1%eth0\"" + " (line 3)", err(MAC + "ipv6 = \"fe80::1%eth0\"\n"));
        assertEquals("[interface] ipv4: expected a unicast address (answers are sent from it), got the multicast address 224.0.0.1 (line 3)",
                err(MAC + "ipv4 = \"224.0.0.1\"\n"));
        assertTrue(err(MAC + "ipv4 = \"239.255.255.255\"\n").contains("got the multicast address"));
        assertTrue(err(MAC + "ipv4 = \"0.0.0.0\"\n").contains("got the unspecified address"));
        assertTrue(err(MAC + "ipv4 = \"255.255.255.255\"\n").contains("got the limited broadcast address"));
        assertArrayEquals(new byte[] {(byte) 223, (byte) 255, (byte) 255, (byte) 255}, ok(MAC + "ipv4 = \"223.255.255.255\"\n").ipv4());
        assertArrayEquals(new byte[] {(byte) 240, 0, 0, 1}, ok(MAC + "ipv4 = \"240.0.0.1\"\n").ipv4());
        assertTrue(err(MAC + "ipv6 = \"::\"\n").contains("got the unspecified address"));
        assertTrue(err(MAC + "ipv6 = \"ff02::1\"\n").contains("got the multicast address"));
    }

    @Test
    void instantsWithinNtpEra0() throws IOException {
        // era 0 is 1900-01-01T00:00:00Z plus 2^32 s: its last second starts at 2036-02-07T06:28:15Z (NTP second 0xffffffff)
        ConfigFile last = ok(MAC + "[clock]\nstart = \"2036-02-07T06:28:15.999999999Z\"\n");
        assertEquals(0xffff_ffffL, last.responder(null).clock().at(0) >>> 32);
        assertEquals(0L, ok(MAC + "[clock]\nstart = \"1900-01-01T00:00:00Z\"\n").responder(null).clock().at(0));
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), ok(MAC + "[clock]\nstart = 2026-11-24T01:00:00+01:00\n").start(), "a TOML date-time");
        String want = "[clock] start: expected an ISO-8601 UTC instant in NTP era 0 (1900-01-01T00:00:00Z .. 2036-02-07T06:28:15Z), "
                + "such as \"2026-11-24T00:00:00Z\" or \"2026-11-24T01:00:00+01:00\", got ";
        assertEquals(want + "the string \"2036-02-07T06:28:16Z\" (line 4)", err(MAC + "[clock]\nstart = \"2036-02-07T06:28:16Z\"\n"));
        assertEquals(want + "the string \"1899-12-31T23:59:59.999999999Z\" (line 4)", err(MAC + "[clock]\nstart = \"1899-12-31T23:59:59.999999999Z\"\n"));
        assertEquals(want + "the string \"tomorrow\" (line 4)", err(MAC + "[clock]\nstart = \"tomorrow\"\n"));
        assertEquals(want + "the string \"2026-11-24T00:00:00\" (line 4)", err(MAC + "[clock]\nstart = 2026-11-24T00:00:00\n"), "no offset: not an instant");
        assertEquals(want + "the string \"2026-11-24\" (line 4)", err(MAC + "[clock]\nstart = 2026-11-24\n"));
        assertEquals(want + "the string \"2026-12-31T23:59:60Z\" (line 4)", err(MAC + "[clock]\nstart = \"2026-12-31T23:59:60Z\"\n"));
        assertEquals(want + "the integer 1795478400 (line 4)", err(MAC + "[clock]\nstart = 1795478400\n"));
    }

    @Test
    void leapEvent() throws IOException {
        ConfigFile c = ok(MAC + "[clock]\nleap = \"insert\"\nleap_event = \"2027-01-01T00:00:00Z\"\n");
        assertEquals(NtpClock.Leap.INSERT, c.leap());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), c.leapEvent());
        assertEquals(NtpClock.Leap.DELETE, ok(MAC + "[clock]\nleap = \"delete\"\nleap_event = \"2027-07-01T00:00:00Z\"\n").leap());
        assertEquals("[clock] leap_event: required with leap = \"insert\"", err(MAC + "[clock]\nleap = \"insert\"\n"));
        assertEquals("[clock] leap_event: expected the first instant of a UTC month (a leap second is the last second of a month, "
                + "ITU-R TF.460), such as \"2027-01-01T00:00:00Z\", got 2027-01-02T00:00:00Z (line 5)",
                err(MAC + "[clock]\nleap = \"insert\"\nleap_event = \"2027-01-02T00:00:00Z\"\n"));
        assertTrue(err(MAC + "[clock]\nleap = \"insert\"\nleap_event = \"2027-01-01T00:00:01Z\"\n").contains("first instant of a UTC month"));
        assertTrue(err(MAC + "[clock]\nleap = \"insert\"\nleap_event = \"2027-01-01T00:00:00+01:00\"\n").contains("got 2026-12-31T23:00:00Z"));
        assertTrue(err(MAC + "[clock]\nleap = \"insert\"\nleap_event = \"2037-01-01T00:00:00Z\"\n").contains("in NTP era 0"));
    }

    @Test
    void ntsKeysAndSeed() throws IOException {
        String nts = MAC + "[nts]\nnonce_seed = \"" + SEED + "\"\n";
        ConfigFile c = ok(nts + "[[nts.keys]]\nid = 0\nkey = \"" + KEY + "\"\n[[nts.keys]]\nid = 4294967295\nkey = \"" + KEY.toUpperCase() + "\"\n");
        assertEquals(List.of(0L, 4294967295L), List.copyOf(c.ntsKeys().keySet()));
        assertEquals(0L, c.ntsCurrentKey(), "the first key when current_key is not given");
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, c.nonceSeed());
        String id = "expected a key id 0..4294967295 (32 bits: a cookie's first 4 bytes), got ";
        assertEquals("[[nts.keys]] id: " + id + "4294967296 (line 6)", err(nts + "[[nts.keys]]\nid = 4294967296\nkey = \"" + KEY + "\"\n"));
        assertEquals("[[nts.keys]] id: " + id + "-1 (line 6)", err(nts + "[[nts.keys]]\nid = -1\nkey = \"" + KEY + "\"\n"));
        assertEquals("[[nts.keys]] id: " + id + "the string \"1\" (line 6)", err(nts + "[[nts.keys]]\nid = \"1\"\nkey = \"" + KEY + "\"\n"));
        // a secret is never echoed: its length is
        String key = "expected 64 hex digits (a 32-byte AES-SIV-CMAC-256 master key), got ";
        assertEquals("[[nts.keys]] key: " + key + "a string of 63 characters (line 10)",
                err(nts + "[[nts.keys]]\nid = 1\nkey = \"" + KEY + "\"\n[[nts.keys]]\nid = 2\nkey = \"" + KEY.substring(1) + "\"\n"),
                "the second key's line");
        assertTrue(err(nts + "[[nts.keys]]\nid = 1\nkey = \"" + KEY + "0\"\n").contains("a string of 65 characters"));
        assertEquals("[[nts.keys]] key: " + key + "a string of 64 characters (line 7)", err(nts + "[[nts.keys]]\nid = 1\nkey = \"" + KEY.substring(2) + "zz\"\n"));
        assertEquals("[[nts.keys]] key: " + key + "the integer 7 (line 7)", err(nts + "[[nts.keys]]\nid = 1\nkey = 7\n"));
        assertEquals("[[nts.keys]] id: key id 1 is listed twice (line 9)",
                err(nts + "[[nts.keys]]\nid = 1\nkey = \"" + KEY + "\"\n[[nts.keys]]\nid = 1\nkey = \"" + KEY + "\"\n"));
        String seed = "[nts] nonce_seed: expected 32 hex digits (the nonce generator's 16-byte AES-128 key), got ";
        String keys = "[[nts.keys]]\nid = 1\nkey = \"" + KEY + "\"\n";
        assertEquals(seed + "a string of 31 characters (line 4)", err(MAC + "[nts]\nnonce_seed = \"" + SEED.substring(1) + "\"\n" + keys));
        assertEquals(seed + "a string of 33 characters (line 4)", err(MAC + "[nts]\nnonce_seed = \"" + SEED + "0\"\n" + keys));
        assertEquals("[nts] nonce_seed: required with NTS: 32 hex digits (the nonce generator's 16-byte AES-128 key)", err(MAC + "[nts]\n" + keys));
        assertEquals("[nts] current_key: expected one of the [[nts.keys]] ids [1], got 2 (line 5)", err(nts + "current_key = 2\n" + keys));
        assertEquals(1L, ok(nts + "current_key = 1\n" + keys).ntsCurrentKey());
        String four = keys + keys.replace("id = 1", "id = 2") + keys.replace("id = 1", "id = 3") + keys.replace("id = 1", "id = 4");
        assertEquals(4, ok(nts + four).ntsKeys().size(), "as many keys as the hardware has key slots");
        assertEquals("[[nts.keys]]: at most 4 keys (the hardware's key slots), got 5", err(nts + four + keys.replace("id = 1", "id = 5")));
        assertTrue(ok(MAC + "[nts]\nenabled = false\n" + keys).ntsKeys().isEmpty(), "disabled: keys ignored");
        assertEquals("[nts]: NTS needs at least one [[nts.keys]] (or key_file, or enabled = false)", err(nts + "enabled = true\n"));
        assertTrue(err(nts + "[[nts.keys]]\nid = 1\nkey = \"" + KEY + "\"\nkye = 3\n").startsWith("unknown key 'kye' in [[nts.keys]] (line 8)"));
    }

    @Test
    void keyFileErrorsNameTheirLine(@TempDir Path dir) throws IOException {
        KeyFile.generate(new java.security.SecureRandom(), Instant.parse("2026-11-24T00:00:00Z")).save(dir.resolve("keys.toml"));
        List<String> lines = Files.readAllLines(dir.resolve("keys.toml"));
        // the format save writes: comment, current, next, blank, then [[key]] id / key / created / blank per key
        assertEquals("current = 1", lines.get(1));
        assertEquals("[[key]]", lines.get(9));
        String good = String.join("\n", lines) + "\n";
        assertEquals(2, KeyFile.parse(good).keys().size());
        String second = good.replace(lines.get(11), "key = \"abcd\"");
        assertEquals("[[key]] key: expected 64 hex digits (a 32-byte AES-SIV-CMAC-256 master key), got a string of 4 characters (line 12)",
                assertThrows(ConfigException.class, () -> KeyFile.parse(second)).getMessage());
        assertEquals("current: expected the id of a [[key]] in this file [1, 2], got 7 (line 2)",
                assertThrows(ConfigException.class, () -> KeyFile.parse(good.replace("current = 1", "current = 7"))).getMessage());
        assertEquals("next: expected a key id 0..4294967295 (32 bits: a cookie's first 4 bytes), got the string \"2\" (line 3)",
                assertThrows(ConfigException.class, () -> KeyFile.parse(good.replace("next = 2", "next = \"2\""))).getMessage());
        assertEquals("[[key]] created: expected an ISO-8601 UTC instant such as \"2026-11-24T00:00:00Z\", got the string \"yesterday\" (line 13)",
                assertThrows(ConfigException.class, () -> KeyFile.parse(String.join("\n", lines.subList(0, 12)) + "\ncreated = \"yesterday\"\n")).getMessage());
        assertEquals("[[key]] id: key id 1 is listed twice (line 11)",
                assertThrows(ConfigException.class, () -> KeyFile.parse(good.replace("id = 2", "id = 1"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> KeyFile.parse(good.replace("next = 2", "next = 2\nlast = 3")))
                .getMessage().startsWith("unknown key 'last' (line 4)"));
        assertEquals("line 3, column 8: not valid TOML: Unknown token",
                assertThrows(ConfigException.class, () -> KeyFile.parse(good.replace("next = 2", "next = = 2"))).getMessage());
        assertEquals("no [[key]] table: a key file has at least its current and next keys",
                assertThrows(ConfigException.class, () -> KeyFile.parse("current = 1\nnext = 2\n")).getMessage());
        // read from a file (serve --keys): the file and its line
        Files.writeString(dir.resolve("keys.toml"), second);
        assertEquals(dir.resolve("keys.toml") + ": [[key]] key: expected 64 hex digits (a 32-byte AES-SIV-CMAC-256 master key), "
                + "got a string of 4 characters (line 12)", assertThrows(ConfigException.class, () -> KeyFile.load(dir.resolve("keys.toml"))).getMessage());
        Files.write(dir.resolve("latin1.toml"), new byte[] {'c', 'u', 'r', 'r', 'e', 'n', 't', ' ', '=', ' ', '"', (byte) 0xe9, '"', '\n'});
        assertEquals(dir.resolve("latin1.toml") + ": not UTF-8 text (a TOML file is UTF-8)",
                assertThrows(ConfigException.class, () -> KeyFile.load(dir.resolve("latin1.toml"))).getMessage());
        // through a configuration: the key file's path and its line
        Files.writeString(dir.resolve("c.toml"), MAC + "[nts]\nnonce_seed = \"" + SEED + "\"\nkey_file = \"keys.toml\"\n");
        String m = assertThrows(ConfigException.class, () -> ConfigFile.load(dir.resolve("c.toml"))).getMessage();
        assertEquals("[nts] key_file (line 5): " + dir.resolve("keys.toml") + ": [[key]] key: expected 64 hex digits "
                + "(a 32-byte AES-SIV-CMAC-256 master key), got a string of 4 characters (line 12)", m);
        Files.writeString(dir.resolve("c.toml"), MAC + "[nts]\nnonce_seed = \"" + SEED + "\"\nkey_file = \"keys.toml\"\ncurrent_key = 1\n");
        assertEquals("[nts] current_key: not used with key_file (the key file names its current key) (line 6)",
                assertThrows(ConfigException.class, () -> ConfigFile.load(dir.resolve("c.toml"))).getMessage());
    }

    /** A TOML syntax error: one line, the position Jackson reports, none of its "at [Source: ...]" noise. */
    @Test
    void syntaxErrorIsOneLineWithItsPosition() {
        // line 3 "ttl = = 3": the second '=' is column 7
        assertEquals("line 3, column 7: not valid TOML: Unknown token", err(MAC + "ttl = = 3\n"));
        // Jackson places a duplicate key after its line; the line given is the duplicate's own
        assertEquals("line 3: not valid TOML: duplicate key 'ttl' in [interface] (first on line 2)", err("[interface]\nttl = 1\nttl = 2\n"));
        assertEquals("line 5: not valid TOML: duplicate key 'id' in [[nts.keys]] (first on line 4)",
                err(MAC + "[[nts.keys]]\nid = 1\nid = 2\n"));
        String unterminated = err(MAC + "ipv4 = \"192.0.2.1\n");
        assertTrue(unterminated.startsWith("line 3, column "), unterminated);
        assertTrue(!unterminated.contains("Source"), unterminated);
    }

    @Test
    void unknownKeysAndSectionsStayRefused() {
        assertEquals("unknown key 'ttll' in [interface] (line 3); known: mac, ipv4, ipv6, vlan, forward_unmatched, ttl, icmp_max_payload, bus_bytes",
                err(MAC + "ttll = 3\n"));
        assertEquals("unknown key 'interfaces' (line 1); known: interface, ntp, clock, timing, nts", err("[interfaces]\nmac = \"02:00:00:00:00:01\"\n"));
        assertTrue(err(MAC + "[ntp.extra]\na = 1\n").startsWith("unknown key 'extra' in [ntp] (line 3)"));
    }

    /** Every configuration the repository ships (configs/, boards/) still loads. */
    @Test
    void everyShippedConfigLoads() throws IOException {
        int n = 0;
        for (String d : List.of("../configs", "../boards"))
            try (Stream<Path> s = Files.walk(Path.of(d))) {
                for (Path p : s.filter(p -> p.toString().contains(".toml")).sorted().toList()) {
                    ConfigFile c = ConfigFile.load(p);
                    assertTrue(c.mac().length == 6, p.toString());
                    n++;
                }
            }
        assertTrue(n >= 4, "configs/*.toml: " + n);
    }
}
