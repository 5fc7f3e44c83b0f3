package org.ntsfab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The level-counting rules on netlists written by hand in Yosys's JSON form, each with its depth counted by hand:
 * a LUT is one level, a MUXF7/F8 behind it none, a carry chain one where it is entered and none along CI, I/O
 * buffers none; paths start at flip-flop outputs and inputs and end at flip-flop inputs and outputs.
 */
class LogicLevelsTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectNode module = json.createObjectNode();
    private final ObjectNode cells = module.putObject("cells");
    private final ObjectNode ports = module.putObject("ports");
    private final ObjectNode nets = module.putObject("netnames");

    /** A cell: pins given as name, direction ("i"/"o"), bit, ... */
    private void cell(String name, String type, Object... pins) {
        ObjectNode c = cells.putObject(name);
        c.put("type", type);
        ObjectNode dirs = c.putObject("port_directions"), conn = c.putObject("connections");
        for (int i = 0; i < pins.length; i += 3) {
            dirs.put((String) pins[i], pins[i + 1].equals("i") ? "input" : "output");
            conn.putArray((String) pins[i]).add((Integer) pins[i + 2]);
        }
    }

    private void net(String name, int bit) {
        ObjectNode n = nets.putObject(name);
        n.put("hide_name", name.startsWith("$") ? 1 : 0);
        n.putArray("bits").add(bit);
    }

    private void port(String name, String dir, int bit) {
        ObjectNode p = ports.putObject(name);
        p.put("direction", dir);
        p.putArray("bits").add(bit);
    }

    private LogicLevels.Report measure(Path dir) throws IOException {
        return measure(dir, json.createObjectNode());
    }

    /** With other modules beside the top in the netlist (a kept hierarchy's, the vendor library's black boxes). */
    private LogicLevels.Report measure(Path dir, ObjectNode others) throws IOException {
        ObjectNode root = json.createObjectNode();
        ObjectNode modules = root.putObject("modules");
        modules.setAll(others);
        modules.set("top", module);
        Path f = dir.resolve("n.json");
        json.writeValue(f.toFile(), root);
        return LogicLevels.of(f, "top");
    }

    private void ff(String name, int d, int q) {
        cell(name, "FDRE", "C", "i", 1, "CE", "i", 2, "R", "i", 3, "D", "i", d, "Q", "o", q);
        net(name + "_q", q);
    }

    @Test
    void threeLutsInARowAreThreeLevels(@TempDir Path dir) throws IOException {
        port("clk", "input", 1);
        ff("a_reg", 20, 10);
        cell("l1", "LUT2", "I0", "i", 10, "I1", "i", 10, "O", "o", 11);
        cell("l2", "LUT1", "I0", "i", 11, "O", "o", 12);
        cell("l3", "LUT3", "I0", "i", 12, "I1", "i", 10, "I2", "i", 11, "O", "o", 13);
        ff("b_reg", 13, 20);
        net("$abc$hidden", 12);
        LogicLevels.Report r = measure(dir);
        assertEquals(3, r.levels());
        assertEquals("a_reg_q", r.deepest().from());
        assertEquals("b_reg_q (FDRE.D)", r.deepest().to());
    }

    @Test
    void wideMuxesBehindALutAreFree(@TempDir Path dir) throws IOException {
        ff("a_reg", 40, 10);
        cell("l1", "LUT6", "I0", "i", 10, "O", "o", 11);
        cell("l2", "LUT6", "I0", "i", 10, "O", "o", 12);
        cell("m7", "MUXF7", "I0", "i", 11, "I1", "i", 12, "S", "i", 10, "O", "o", 13);
        cell("m8", "MUXF8", "I0", "i", 13, "I1", "i", 13, "S", "i", 10, "O", "o", 14);
        ff("b_reg", 14, 40);
        assertEquals(1, measure(dir).levels());
    }

    @Test
    void aCarryChainCountsOnceWhereItIsEntered(@TempDir Path dir) throws IOException {
        // a_reg -> LUT (1) -> CARRY4.S (2) -> CO -> CI of the next CARRY4 (2) -> CI of a third (2) -> O -> LUT (3) -> b_reg
        ff("a_reg", 50, 10);
        cell("s", "LUT2", "I0", "i", 10, "O", "o", 11);
        cell("c0", "CARRY4", "S", "i", 11, "DI", "i", 10, "CI", "i", 10, "CYINIT", "i", 10, "CO", "o", 12, "O", "o", 13);
        cell("c1", "CARRY4", "S", "i", 10, "DI", "i", 10, "CI", "i", 12, "CYINIT", "i", 10, "CO", "o", 14, "O", "o", 15);
        cell("c2", "CARRY4", "S", "i", 10, "DI", "i", 10, "CI", "i", 14, "CYINIT", "i", 10, "CO", "o", 16, "O", "o", 17);
        cell("l", "LUT3", "I0", "i", 17, "O", "o", 18);
        ff("b_reg", 18, 50);
        assertEquals(3, measure(dir).levels());
    }

    @Test
    void buffersAreFreeAndPortsStartAndEndPaths(@TempDir Path dir) throws IOException {
        // in -> IBUF -> DELAYG (ECP5 input delay) -> LUT (1) -> LUT (2) -> OBUF -> out: a port-to-port path of 2
        port("in", "input", 5);
        port("out", "output", 9);
        cell("ib", "IBUF", "I", "i", 5, "O", "o", 4);
        cell("dly", "DELAYG", "A", "i", 4, "Z", "o", 6);
        cell("l1", "LUT1", "I0", "i", 6, "O", "o", 7);
        cell("l2", "LUT1", "I0", "i", 7, "O", "o", 8);
        cell("ob", "OBUF", "I", "i", 8, "O", "o", 9);
        LogicLevels.Report r = measure(dir);
        assertEquals(2, r.levels());
        assertEquals("output out", r.deepest().to());
    }

    @Test
    void aLutRamReadIsOneLevelAndItsWriteSideEndsAPath(@TempDir Path dir) throws IOException {
        // a_reg -> LUT (1) -> DPRA (read address) -> DPO (2) -> b_reg ; a_reg -> LUT (1) -> D (write data): ends at 1
        ff("a_reg", 60, 10);
        cell("l", "LUT1", "I0", "i", 10, "O", "o", 11);
        cell("ram", "RAM64X1D", "WCLK", "i", 1, "WE", "i", 10, "D", "i", 11, "A0", "i", 10, "DPRA0", "i", 11, "SPO", "o", 12, "DPO", "o", 13);
        ff("b_reg", 13, 60);
        LogicLevels.Report r = measure(dir);
        assertEquals(2, r.levels());
        // end points: a_reg CE, R, D and b_reg CE, R at 0, the RAM's WE and write address A0 at 0, its D at 1, b_reg D at 2
        assertEquals(Map.of(0, 7, 1, 1, 2, 1), Map.copyOf(r.endpointsByDepth()));
    }

    @Test
    void eachReadPortOfALutRamDependsOnItsOwnAddressOnly(@TempDir Path dir) throws IOException {
        // a RAM64M whose write address ADDRD comes through two LUTs and whose read address ADDRA straight from a register:
        // DOA is one level deep (ADDRA -> DOA), not three (the write address feeds DOD only), DOD three
        ff("a_reg", 70, 10);
        cell("l1", "LUT1", "I0", "i", 10, "O", "o", 11);
        cell("l2", "LUT1", "I0", "i", 11, "O", "o", 12);
        cell("ram", "RAM64M", "WCLK", "i", 1, "WE", "i", 10, "DIA", "i", 10, "DID", "i", 10, "ADDRA", "i", 10, "ADDRD", "i", 12,
                "DOA", "o", 13, "DOD", "o", 14);
        net("write_address_half", 11);
        net("write_address", 12);
        net("ram_dod", 14);
        ff("b_reg", 13, 70);
        ff("c_reg", 14, 71);
        LogicLevels.Report r = measure(dir);
        assertEquals(1, r.deepestByEnd().get("b_reg_q"));
        assertEquals(3, r.deepestByEnd().get("c_reg_q"));
        // the path into c_reg, followed back: from a_reg through both named LUT outputs
        LogicLevels.Path_ p = r.deepestPathByEnd().get("c_reg_q");
        assertEquals(3, p.levels());
        assertEquals("a_reg_q", p.from());
        assertEquals(java.util.List.of("write_address_half", "write_address", "ram_dod"), p.through());
    }

    @Test
    void anUnknownCellTypeIsAnErrorNotAFreeCell(@TempDir Path dir) throws IOException {
        ff("a_reg", 11, 10);
        cell("x", "MYSTERY", "I", "i", 10, "O", "o", 11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> measure(dir));
        assertTrue(e.getMessage().contains("MYSTERY"), e.getMessage());
    }

    @Test
    void aCombinationalLoopIsAnError(@TempDir Path dir) throws IOException {
        ff("a_reg", 12, 10);
        cell("l1", "LUT2", "I0", "i", 10, "I1", "i", 12, "O", "o", 11);
        cell("l2", "LUT1", "I0", "i", 11, "O", "o", 12);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> measure(dir));
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    /**
     * A module kept as hierarchy costs its own deepest path from its ports to its ports: a_reg, one LUT, the kept module
     * (two LUTs in a row between its ports, a third beside them), two LUTs, b_reg is five levels, the path going through
     * the module rather than ending at it; a cell whose type is a vendor black box in the same file is still a LUT.
     */
    @Test
    void aKeptModuleCostsItsOwnDepth(@TempDir Path dir) throws IOException {
        ff("a_reg", 60, 10);
        cell("l1", "LUT1", "I0", "i", 10, "O", "o", 11);
        cell("engine0", "engine", "in_data", "i", 11, "out_data", "o", 12);
        cell("l2", "LUT1", "I0", "i", 12, "O", "o", 13);
        cell("l3", "LUT1", "I0", "i", 13, "O", "o", 14);
        ff("b_reg", 14, 60);
        ObjectNode others = json.createObjectNode();
        ObjectNode engine = others.putObject("engine");
        ObjectNode ec = engine.putObject("cells"), ep = engine.putObject("ports");
        ep.putObject("in_data").put("direction", "input").putArray("bits").add(2);
        ep.putObject("out_data").put("direction", "output").putArray("bits").add(4);
        ep.putObject("side").put("direction", "output").putArray("bits").add(5);
        for (String[] l : new String[][] {{"e1", "2", "3"}, {"e2", "3", "4"}, {"e3", "2", "5"}}) {
            ObjectNode c = ec.putObject(l[0]);
            c.put("type", "LUT1");
            c.putObject("port_directions").put("I0", "input").put("O", "output");
            c.putObject("connections").putArray("I0").add(Integer.parseInt(l[1]));
            ((ObjectNode) c.get("connections")).putArray("O").add(Integer.parseInt(l[2]));
        }
        engine.putObject("netnames");
        others.putObject("LUT1").putObject("attributes").put("blackbox", "00000000000000000000000000000001");
        LogicLevels.Report r = measure(dir, others);
        assertEquals(5, r.levels());
        assertEquals("b_reg_q (FDRE.D)", r.deepest().to());
        assertEquals(null, r.deepestByEnd().get("engine0"), "a kept module's input is not an end");
    }

    /** A kept module holding a flip-flop is refused: its paths cannot be joined to the parent's. */
    @Test
    void aKeptModuleWithAFlipFlopIsRefused(@TempDir Path dir) throws IOException {
        ff("a_reg", 12, 10);
        cell("engine0", "engine", "in_data", "i", 10, "out_data", "o", 12);
        ObjectNode others = json.createObjectNode();
        ObjectNode engine = others.putObject("engine");
        ObjectNode ep = engine.putObject("ports");
        ep.putObject("in_data").put("direction", "input").putArray("bits").add(2);
        ep.putObject("out_data").put("direction", "output").putArray("bits").add(3);
        ObjectNode c = engine.putObject("cells").putObject("r");
        c.put("type", "FDRE");
        c.putObject("port_directions").put("D", "input").put("Q", "output");
        c.putObject("connections").putArray("D").add(2);
        ((ObjectNode) c.get("connections")).putArray("Q").add(3);
        engine.putObject("netnames");
        others.putObject("LUT1").putObject("attributes").put("blackbox", "00000000000000000000000000000001");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> measure(dir, others));
        assertTrue(e.getMessage().contains("engine") && e.getMessage().contains("combinational"), e.getMessage());
    }

    /** Without the module's definition in the netlist the same cell type is unknown: a box is never guessed from a name. */
    @Test
    void aCellOfAnUndefinedModuleIsUnknown(@TempDir Path dir) throws IOException {
        ff("a_reg", 11, 10);
        cell("engine0", "engine", "in_data", "i", 10, "out_data", "o", 11);
        assertThrows(IllegalArgumentException.class, () -> measure(dir));
    }
}
