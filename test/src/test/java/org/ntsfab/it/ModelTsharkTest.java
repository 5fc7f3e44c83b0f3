package org.ntsfab.it;

import org.ntsfab.flow.Tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntsfab.model.ConfigFile;
import org.ntsfab.model.ModelRun;
import org.ntsfab.model.Outcome;
import org.ntsfab.model.pcap.Pcap;
import org.ntsfab.model.traffic.TrafficGenerator;

/**
 * An independent dissector reads every answer the model writes for a mixed traffic corpus: no
 * malformed packets, no bad checksums (IPv4, UDP, ICMP, ICMPv6 all verified), and every NTP answer
 * dissects as NTP version 1–4 server mode.
 */
class ModelTsharkTest {
    @Test
    void tsharkFindsNothingWrongInTheModelsAnswers(@TempDir Path dir) throws Exception {
        Tools.require("tshark");
        ConfigFile cfg = ConfigFile.load(Path.of("../configs/example.toml"));
        List<Pcap.Record> req = new TrafficGenerator(cfg, 11).generate(5000, TrafficGenerator.DEFAULT_MIX, Instant.parse("2026-11-24T12:00:00Z"));
        ModelRun.Output out = ModelRun.run(cfg, req, 8);
        Path resp = dir.resolve("resp.pcap");
        Pcap.write(resp, out.answers());
        String opts = "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE";
        String bad = Tools.run(List.of("bash", "-c", "tshark -n -r " + resp + " " + opts
                + " -Y '_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\""
                + " || icmp.checksum.status == \"Bad\" || icmpv6.checksum.status == \"Bad\"' 2>/dev/null"), true).trim();
        assertEquals("", bad, "tshark objects to these answers");
        Map<Outcome, Long> c = out.counters();
        long ntpAnswers = c.get(Outcome.ANSWER_NTP) + c.get(Outcome.ANSWER_NTS) + c.get(Outcome.ANSWER_NTS_NAK_COOKIE) + c.get(Outcome.ANSWER_NTS_NAK_AUTH);
        String modes = Tools.run(List.of("bash", "-c", "tshark -n -r " + resp + " -Y ntp -T fields -e ntp.flags.mode 2>/dev/null | sort | uniq -c"), true).trim();
        assertEquals(ntpAnswers + " 4", modes, "every NTP answer is server mode");
        long ntsAuth = Long.parseLong(Tools.run(List.of("bash", "-c", "tshark -n -r " + resp
                + " -Y 'ntp.ext.type == 0x0404' 2>/dev/null | wc -l"), true).trim());
        assertEquals((long) c.get(Outcome.ANSWER_NTS), ntsAuth, "one NTS authenticator per NTS answer, none in NAKs");
        long kod = Long.parseLong(Tools.run(List.of("bash", "-c", "tshark -n -r " + resp
                + " -Y 'ntp.stratum == 0 && ntp.refid == 4e:54:53:4e' 2>/dev/null | wc -l"), true).trim());
        assertEquals(c.get(Outcome.ANSWER_NTS_NAK_COOKIE) + c.get(Outcome.ANSWER_NTS_NAK_AUTH), kod, "NTSN kiss-o'-death count");
        assertTrue(ntpAnswers > 3000, "the corpus exercised NTP: " + ntpAnswers);
        System.out.println("tshark checked " + out.answers().size() + " answers (" + ntpAnswers + " NTP/NTS)");
    }
}
