package org.ntsfab.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Logic levels of a flattened, technology-mapped netlist (Yosys {@code write_json} after {@code synth_xilinx -flatten},
 * or {@code synth_ice40}/{@code synth_ecp5}): the proxy for timing where no vendor timer runs. Every LUT is one level;
 * a MUXF7/F8 behind a LUT is free (it is the slice's wide-function mux), and so are ECP5's PFUMX and L6MUX21 (a LUT5
 * from a slice's two LUT4s, a LUT6 or wider from two or more slices: Yosys only ever feeds them from LUT4s and from
 * each other); a carry chain counts once where it is entered (S, DI, CYINIT: one level; CI to CO along the chain:
 * free). ECP5's CCU2C is a slice's two LUT4s in ripple mode with the carry logic behind them, so entering it (A..D)
 * is two levels, its LUT and the chain, as a LUT into a CARRY4 is on Xilinx and a carry into the sum's SB_LUT4 on
 * iCE40: an adder is two levels on all three. I/O and clock buffers are free. Paths start at module
 * inputs and at the outputs of clocked cells (flip-flops, block RAM, DSP, shift registers), and end at module outputs
 * and at the inputs of clocked cells. A LUT RAM's or dynamic shift register's read (address to output) is a LUT level;
 * its write side is clocked.
 *
 * <p>Cell types this class does not know are an error, so a new primitive is never silently counted as free.
 */
public final class LogicLevels {
    /**
     * One path: its depth in levels, the names of the signals it starts and ends at (Yosys's net names: the register
     * after a flattened instance path, {@code ingress.ef_offset_reg[0]}), and the design's named signals on the way.
     */
    public record Path_(int levels, String from, String to, List<String> through) {}

    /**
     * The result: the deepest path, the number of end points (cell input pins and output ports) at each depth, and the
     * deepest path into each end signal (its name without the bit index), and that path itself (where it starts and the
     * named signals it passes), so a report can say not only where a deep path ends but what it goes through.
     */
    public record Report(Path_ deepest, Map<Integer, Integer> endpointsByDepth, int cells, Map<String, Integer> deepestByEnd,
            Map<String, Path_> deepestPathByEnd) {
        public int levels() {
            return deepest.levels();
        }
    }

    private enum Role { LUT, FREE, CARRY, LUTRAM, CLOCKED, BOX, KEPT }

    private static final Set<String> FREE = Set.of("MUXF7", "MUXF8", "MUXF9", "IBUF", "OBUF", "BUFG", "BUFGCE", "IOBUF", "OBUFT",
            "IBUFG", "BUFH", "BUFR", "SB_GB", "SB_GB_IO", "PFUMX", "L6MUX21",
            // ECP5 I/O: buffers, pad cells and the programmable input/output delays between a pad and its DDR cell
            "IB", "OB", "BB", "OBZ", "TRELLIS_IO", "DELAYG", "DELAYF", "DCCA", "DCSC");
    private static final Set<String> CARRY = Set.of("CARRY4", "CARRY8", "SB_CARRY", "CCU2C");
    private static final Set<String> LUTRAM = Set.of("RAM16X1S", "RAM32X1S", "RAM64X1S", "RAM128X1S", "RAM256X1S", "RAM16X1D",
            "RAM32X1D", "RAM64X1D", "RAM128X1D", "RAM32M", "RAM64M", "RAM32M16", "RAM64M8", "SRL16E", "SRLC16E", "SRLC32E",
            "TRELLIS_DPR16X4", "DPR16X4C");
    private static final Set<String> CLOCKED_PREFIX_FREE = Set.of("RAMB18E1", "RAMB36E1", "RAMB18E2", "RAMB36E2", "DSP48E1",
            "DSP48E2", "SB_RAM40_4K", "DP16KD", "PDPW16KD", "MULT18X18D", "ALU54B", "IDDR", "ODDR", "IDDRX1F", "ODDRX1F",
            "SB_IO", "SB_PLL40_CORE", "SB_PLL40_PAD", "EHXPLLL", "OSCG", "IDDR_2CLK", "URAM288", "FIFO18E1", "FIFO36E1", "IDELAYE2", "ODELAYE2", "ISERDESE2", "OSERDESE2");

    private static Role role(String type, Set<String> modules) {
        if (modules.contains(type)) return Role.KEPT;
        if (type.matches("LUT[1-6]") || type.equals("SB_LUT4") || type.equals("LUT4") || type.equals("INV") || type.equals("TRELLIS_SLICE"))
            return Role.LUT;
        if (FREE.contains(type)) return Role.FREE;
        if (CARRY.contains(type)) return Role.CARRY;
        if (LUTRAM.contains(type)) return Role.LUTRAM;
        if (type.matches("FD[RSCP]E(_1)?|FDRE|SB_DFF[A-Z]*|TRELLIS_FF|FD1P3[A-Z]{2}|FD1S3[A-Z]{2}") || CLOCKED_PREFIX_FREE.contains(type))
            return Role.CLOCKED;
        throw new IllegalArgumentException("logic levels: unknown cell type " + type + " (add it to LogicLevels with its timing role)");
    }

    /** A carry chain's pins that enter it (one level): everything but the carry in from the previous element. */
    private static boolean entersCarry(String type, String pin) {
        return switch (type) {
            case "CARRY4", "CARRY8" -> !pin.equals("CI") && !pin.equals("CI_TOP");
            case "SB_CARRY" -> !pin.equals("CI");
            case "CCU2C" -> !pin.equals("CIN");
            default -> true;
        };
    }

    /** A LUT RAM's or shift register's read address pins (address to data out is a LUT level). */
    private static boolean readAddress(String pin) {
        return pin.matches("ADDR[A-H].*|A[0-9]*|A|DPRA[0-9]*|RAD[0-9]*");
    }

    private record Cell(String name, String type, Role role, Map<String, int[]> inputs, Map<String, int[]> outputs) {}

    private final Map<Integer, Cell> driver = new HashMap<>();
    /** The output pin of its driver that each bit leaves on (a LUT RAM's read ports each have their own address). */
    private final Map<Integer, String> driverPin = new HashMap<>();
    private final Map<Integer, String> netName = new HashMap<>();
    private final java.util.Set<Integer> hiddenName = new java.util.HashSet<>();
    private final List<Cell> cells = new ArrayList<>();
    private final List<int[]> outputPorts = new ArrayList<>();
    private final List<String> outputPortNames = new ArrayList<>();
    private final Map<Integer, Integer> depth = new HashMap<>();
    private final Map<Integer, Integer> from = new HashMap<>();
    private static final int VISITING = Integer.MIN_VALUE;

    private final Set<String> blackBoxes;
    /** The depth through each design module kept as hierarchy (its deepest path from an input port to an output port). */
    private final Map<String, Integer> keptDepth;

    private LogicLevels(JsonNode module, Set<String> modules, Set<String> blackBoxes, Map<String, Integer> keptDepth) {
        this.blackBoxes = blackBoxes;
        this.keptDepth = keptDepth;
        for (Iterator<Map.Entry<String, JsonNode>> it = module.path("netnames").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean hidden = e.getValue().path("hide_name").asInt() != 0;
            JsonNode bits = e.getValue().path("bits");
            for (int i = 0; i < bits.size(); i++) {
                if (!bits.get(i).isInt()) continue;
                int b = bits.get(i).asInt();
                String n = bits.size() == 1 ? e.getKey() : e.getKey() + "[" + i + "]";
                String old = netName.get(b);
                // a visible name beats a hidden one (Yosys's $abc$... wires); among visible ones the shortest (the
                // register, not a long alias)
                if (hidden) {
                    if (old == null) netName.put(b, n);
                } else if (old == null || hiddenName.contains(b) || n.length() < old.length()) {
                    netName.put(b, n);
                    hiddenName.remove(b);
                    continue;
                }
                if (old == null) hiddenName.add(b);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = module.path("ports").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("direction").asText().equals("output")) {
                outputPorts.add(bits(e.getValue().path("bits")));
                outputPortNames.add(e.getKey());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = module.path("cells").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode c = e.getValue();
            String type = c.path("type").asText();
            Map<String, int[]> in = new HashMap<>(), out = new HashMap<>();
            JsonNode dirs = c.path("port_directions");
            for (Iterator<Map.Entry<String, JsonNode>> p = c.path("connections").fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> pin = p.next();
                String dir = dirs.path(pin.getKey()).asText("");
                if (dir.isEmpty()) throw new IllegalArgumentException("logic levels: cell " + e.getKey() + " (" + type + ") has no direction for " + pin.getKey());
                (dir.equals("input") ? in : out).put(pin.getKey(), bits(pin.getValue()));
            }
            // a design module made a black box (Gates.synthesizeOutside) is a box: its ports start and end paths
            Cell cell = new Cell(e.getKey(), type, blackBoxes.contains(type) ? Role.BOX : role(type, modules), in, out);
            cells.add(cell);
            for (Map.Entry<String, int[]> o : out.entrySet())
                for (int b : o.getValue())
                    if (b >= 0) {
                        driver.put(b, cell);
                        driverPin.put(b, o.getKey());
                    }
        }
    }

    private static int[] bits(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).isInt() ? a.get(i).asInt() : -1; // constants "0", "1", "x"
        return r;
    }

    /** Reads {@code json} (Yosys {@code write_json}) and measures module {@code top}. */
    public static Report of(Path json, String top) throws IOException {
        return of(json, top, Set.of());
    }

    /** The same, with the design's modules {@code blackBoxes} made black boxes (their ports start and end paths). */
    public static Report of(Path json, String top, Set<String> blackBoxes) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode m = root.path("modules").path(top);
        if (m.isMissingNode()) throw new IOException(json + ": no module " + top);
        Set<String> modules = new java.util.HashSet<>();
        // the design's own modules kept as hierarchy (not the vendor library's cells, which write_json lists as black boxes)
        root.path("modules").fields().forEachRemaining(e -> {
            if (!e.getValue().path("attributes").has("blackbox")) modules.add(e.getKey());
        });
        Map<String, Integer> kept = new HashMap<>();
        keptDepths(root, m, modules, blackBoxes, kept, new java.util.HashSet<>());
        return new LogicLevels(m, modules, blackBoxes, kept).measure();
    }

    /**
     * The depth through every design module kept as hierarchy under {@code m} (Gates.synthesize with boxes: Yosys's
     * keep_hierarchy), deepest first: a kept module is combinational (its flip-flops would be paths this count cannot
     * join to the parent's), and a path through it costs its own deepest input-to-output path, whichever input and
     * output the path uses (an upper bound, never less than the real path).
     */
    private static void keptDepths(JsonNode root, JsonNode m, Set<String> modules, Set<String> blackBoxes, Map<String, Integer> kept,
            Set<String> visiting) {
        for (Iterator<JsonNode> it = m.path("cells").elements(); it.hasNext(); ) {
            String type = it.next().path("type").asText();
            if (!modules.contains(type) || blackBoxes.contains(type) || kept.containsKey(type)) continue;
            if (!visiting.add(type)) throw new IllegalArgumentException("logic levels: module " + type + " contains itself");
            JsonNode sub = root.path("modules").path(type);
            keptDepths(root, sub, modules, blackBoxes, kept, visiting);
            LogicLevels inner = new LogicLevels(sub, modules, blackBoxes, kept);
            for (Cell c : inner.cells)
                if (c.role() == Role.CLOCKED || c.role() == Role.LUTRAM || c.role() == Role.BOX)
                    throw new IllegalArgumentException("logic levels: module " + type + " is kept as hierarchy but holds " + c.type()
                            + " " + c.name() + "; only combinational modules may be kept (flatten it or make it a black box)");
            int d = 0;
            for (int[] port : inner.outputPorts) for (int b : port) if (b >= 0) d = Math.max(d, inner.depthOf(b));
            kept.put(type, d);
            visiting.remove(type);
        }
    }

    private Report measure() {
        Map<Integer, Integer> hist = new java.util.TreeMap<>();
        Map<String, Integer> byEnd = new java.util.TreeMap<>();
        Map<String, int[]> byEndNet = new java.util.TreeMap<>(); // end signal -> {ends index, worst net}
        int best = -1;
        int bestNet = -1;
        String bestEnd = null;
        List<int[]> ends = new ArrayList<>();
        List<String> endNames = new ArrayList<>();
        for (Cell c : cells) {
            if (c.role() != Role.CLOCKED && c.role() != Role.LUTRAM && c.role() != Role.BOX) continue;
            String endName = c.role() == Role.BOX ? c.name() : c.outputs().values().stream().flatMap(o -> java.util.Arrays.stream(o).boxed()).filter(b -> b >= 0)
                    .findFirst().map(this::name).orElse(c.name());
            for (Map.Entry<String, int[]> pin : c.inputs().entrySet()) {
                if (pin.getKey().matches("C|CLK|WCLK|CLKARDCLK|CLKBWRCLK|CLKA|CLKB|RCLK|WCLK.*|CLK[A-Z]*")) continue;
                if (c.role() == Role.LUTRAM && readAddress(pin.getKey()) && !isWriteAddress(c.type(), pin.getKey())) continue;
                ends.add(pin.getValue());
                endNames.add(endName + " (" + c.type() + "." + pin.getKey() + ")");
            }
        }
        for (int i = 0; i < outputPorts.size(); i++) {
            ends.add(outputPorts.get(i));
            endNames.add("output " + outputPortNames.get(i));
        }
        for (int e = 0; e < ends.size(); e++) {
            int worst = 0, worstNet = -1;
            for (int b : ends.get(e)) {
                if (b < 0) continue;
                int d = depthOf(b);
                if (d > worst || worstNet < 0) {
                    worst = d;
                    worstNet = b;
                }
            }
            if (worstNet < 0) continue;
            hist.merge(worst, 1, Integer::sum);
            String signal = endNames.get(e).replaceAll("\\[\\d+\\]", "").replaceAll(" \\(.*", "");
            Integer before = byEnd.get(signal);
            if (before == null || worst > before) {
                byEnd.put(signal, worst);
                byEndNet.put(signal, new int[] {e, worstNet});
            }
            if (worst > best) {
                best = worst;
                bestNet = worstNet;
                bestEnd = endNames.get(e);
            }
        }
        Map<String, Path_> paths = new java.util.TreeMap<>();
        for (Map.Entry<String, int[]> e : byEndNet.entrySet())
            paths.put(e.getKey(), trace(byEnd.get(e.getKey()), e.getValue()[1], endNames.get(e.getValue()[0])));
        if (bestNet < 0) return new Report(new Path_(0, "-", "-", List.of()), hist, cells.size(), byEnd, paths);
        return new Report(trace(best, bestNet, bestEnd), hist, cells.size(), byEnd, paths);
    }

    /** The path of {@code levels} levels into {@code net} (which feeds {@code end}), followed back to where it starts. */
    private Path_ trace(int levels, int net, String end) {
        List<String> through = new ArrayList<>();
        int n = net;
        while (from.containsKey(n)) {
            // the named signals on the way (the design's own names; Yosys's $-wires left out)
            if (!hiddenName.contains(n) && netName.containsKey(n)) through.add(0, name(n));
            n = from.get(n);
        }
        return new Path_(levels, name(n), end, through);
    }

    /** A LUT RAM's address pin that also addresses its write port (it ends a path too). */
    private static boolean isWriteAddress(String type, String pin) {
        return pin.startsWith("ADDRD") || pin.matches("A[0-9]*") && !type.startsWith("SRL");
    }

    private String name(int bit) {
        String n = netName.get(bit);
        return n == null ? "net " + bit : n;
    }

    /** Depth of the signal on {@code bit}: levels from the nearest start point. */
    private int depthOf(int bit) {
        // iterative depth-first search: a deep netlist must not overflow the Java stack
        java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
        stack.push(bit);
        while (!stack.isEmpty()) {
            int b = stack.peek();
            Integer known = depth.get(b);
            if (known != null && known != VISITING) {
                stack.pop();
                continue;
            }
            Cell c = driver.get(b);
            if (c == null || c.role() == Role.CLOCKED || c.role() == Role.BOX) {
                depth.put(b, 0);
                stack.pop();
                continue;
            }
            String outPin = driverPin.get(b);
            List<Integer> pending = new ArrayList<>();
            for (Map.Entry<String, int[]> pin : c.inputs().entrySet()) {
                if (!counts(c, pin.getKey(), outPin)) continue;
                for (int i : pin.getValue()) {
                    if (i < 0) continue;
                    Integer di = depth.get(i);
                    if (di == null) pending.add(i);
                    else if (di == VISITING) throw new IllegalStateException("logic levels: combinational loop through " + name(i) + " (" + c.name() + ")");
                }
            }
            if (known == null && !pending.isEmpty()) {
                depth.put(b, VISITING);
                for (int i : pending) stack.push(i);
                continue;
            }
            int d = 0, via = -1;
            for (Map.Entry<String, int[]> pin : c.inputs().entrySet()) {
                if (!counts(c, pin.getKey(), outPin)) continue;
                int cost = switch (c.role()) {
                    case LUT, LUTRAM -> 1;
                    case FREE -> 0;
                    case CARRY -> !entersCarry(c.type(), pin.getKey()) ? 0 : c.type().equals("CCU2C") ? 2 : 1;
                    case CLOCKED, BOX -> 0;
                    case KEPT -> keptDepth.get(c.type());
                };
                for (int i : pin.getValue()) {
                    if (i < 0) continue;
                    int di = depth.get(i) + cost;
                    if (di > d || via < 0) {
                        d = di;
                        via = i;
                    }
                }
            }
            if (via < 0) d = c.role() == Role.LUT || c.role() == Role.LUTRAM ? 1 : c.role() == Role.KEPT ? keptDepth.get(c.type()) : 0;
            depth.put(b, d);
            if (via >= 0) from.put(b, via);
            stack.pop();
        }
        return depth.get(bit);
    }

    /**
     * Whether an input pin of a combinational cell is on a combinational path to its output pin {@code out}. A LUT RAM's
     * output depends only on its own read port's address: RAM32M/RAM64M's DOA on ADDRA (ADDRD, the write address, feeds
     * DOD alone), a dual-port RAM's SPO on A and DPO on DPRA, a shift register's Q on A (its cascade output Q15/Q31 on no
     * input: it is a flip-flop's), ECP5's DPR16X4 DO on RAD.
     */
    private static boolean counts(Cell c, String pin, String out) {
        if (c.role() != Role.LUTRAM) return true;
        if (!readAddress(pin)) return false;
        if (out == null) return true;
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("DO([A-H])").matcher(out);
        if (port.matches()) return pin.startsWith("ADDR" + port.group(1));
        return switch (out) {
            case "SPO", "O" -> pin.matches("A[0-9]*");
            case "DPO" -> pin.startsWith("DPRA");
            case "Q" -> pin.matches("A[0-9]*");
            case "Q15", "Q31" -> false;
            case "DO" -> pin.startsWith("RAD");
            default -> true;
        };
    }
}
