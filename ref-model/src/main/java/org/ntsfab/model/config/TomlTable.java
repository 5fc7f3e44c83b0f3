package org.ntsfab.model.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One table of a TOML document, read through typed accessors: a value of the wrong TOML type or out of its range is
 * a {@link ConfigException} of one line, {@code [interface] ttl: expected an integer 1..255, got 300 (line 10)}. Nothing
 * is coerced: the string "64" is not an integer, 64.0 is not an integer, true is not a string. Absent keys give the
 * caller's default; keys the caller does not name are refused ({@link #allowOnly}).
 *
 * <p>Jackson's TOML reader gives a tree without source positions; the line of a key is found again in the text
 * ({@code [table]} / {@code [[table]]} headers and {@code key =} lines), and left out where that fails (inline
 * tables, dotted keys).
 */
public final class TomlTable {
    private final Lines lines;
    private final JsonNode node;
    /** Dotted table name ("" for the document), whether it is the {@code index}-th of an array of tables. */
    private final String name;
    private final boolean inArray;
    private final int index;

    private TomlTable(Lines lines, JsonNode node, String name, boolean inArray, int index) {
        this.lines = lines;
        this.node = node;
        this.name = name;
        this.inArray = inArray;
        this.index = index;
    }

    /** The document's root table; a syntax error is one line with the position Jackson reports ({@code line 3, column 7: ...}). */
    public static TomlTable parse(String text) throws ConfigException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().lines().findFirst().orElse("");
            if ("Duplicate key".equals(msg)) {
                String dup = new Lines(text).firstDuplicate();
                if (dup != null) throw new ConfigException(dup);
            }
            String where = at != null && at.getLineNr() > 0 ? "line " + at.getLineNr() + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "") + ": " : "";
            throw new ConfigException(where + "not valid TOML: " + msg);
        } catch (RuntimeException e) {
            throw new ConfigException("not valid TOML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode()) root = new TomlMapper().createObjectNode();  // an empty document
        return new TomlTable(new Lines(text), root, "", false, 0);
    }

    /** A file's text, which TOML requires to be UTF-8 (anything else is a {@link ConfigException}, not a decoder's message). */
    public static String read(Path p) throws IOException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException("not UTF-8 text (a TOML file is UTF-8)");
        }
    }

    /** {@code [name]} in messages ({@code [[name]]} for a table of an array), nothing for the document. */
    public String header() {
        return name.isEmpty() ? "" : inArray ? "[[" + name + "]]" : "[" + name + "]";
    }

    /** How messages name a key of this table: {@code [interface] ttl}. */
    public String label(String key) {
        return name.isEmpty() ? key : header() + " " + key;
    }

    public boolean has(String key) {
        return node.has(key);
    }

    /** Refuses any key not named (sections and keys alike): {@code unknown key 'ttll' in [interface] (line 4); known: ...}. */
    public void allowOnly(String... keys) throws ConfigException {
        Set<String> ok = Set.of(keys);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ok.contains(k))
                throw new ConfigException("unknown key '" + k + "'" + (name.isEmpty() ? "" : " in " + header()) + at(k)
                        + "; known: " + String.join(", ", keys));
        }
    }

    /** A sub-table ({@code [interface]} of the document); absent: an empty table. */
    public TomlTable table(String key) throws ConfigException {
        String sub = name.isEmpty() ? key : name + "." + key;
        if (!node.has(key)) return new TomlTable(lines, MissingNode.getInstance(), sub, false, 0);
        JsonNode v = node.get(key);
        if (!v.isObject()) throw bad(key, "a table [" + sub + "]");
        return new TomlTable(lines, v, sub, false, 0);
    }

    /** An array of tables ({@code [[nts.keys]]}); absent: none. */
    public List<TomlTable> tables(String key) throws ConfigException {
        List<TomlTable> out = new ArrayList<>();
        if (!node.has(key)) return out;
        JsonNode v = node.get(key);
        String sub = name.isEmpty() ? key : name + "." + key;
        if (!v.isArray()) throw bad(key, "an array of tables [[" + sub + "]]");
        int k = 0;
        for (JsonNode e : v) {
            TomlTable t = new TomlTable(lines, e, sub, true, k++);
            if (!e.isObject()) throw new ConfigException(t.header() + ": expected a table, got " + describe(e, false));
            out.add(t);
        }
        return out;
    }

    /** An integer in {@code lo..hi}; {@code expected} says what, e.g. "an integer 1..255". */
    public long integer(String key, long dflt, long lo, long hi, String expected) throws ConfigException {
        if (!node.has(key)) return dflt;
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < lo || v.asLong() > hi) throw outOfRange(key, expected);
        return v.asLong();
    }

    /** {@link #integer} narrowed to int (callers pass an int range). */
    public int integer(String key, int dflt, int lo, int hi, String expected) throws ConfigException {
        return (int) integer(key, (long) dflt, lo, hi, expected);
    }

    public boolean bool(String key, boolean dflt) throws ConfigException {
        if (!node.has(key)) return dflt;
        JsonNode v = node.get(key);
        if (!v.isBoolean()) throw bad(key, "true or false");
        return v.booleanValue();
    }

    /** A string; {@code expected} is used when the value is of another type. {@code dflt} may be null. */
    public String string(String key, String dflt, String expected) throws ConfigException {
        if (!node.has(key)) return dflt;
        JsonNode v = node.get(key);
        if (!v.isTextual()) throw bad(key, expected);
        return v.textValue();
    }

    /** An ISO-8601 instant ({@link ConfigText#instant}), as a TOML string or a TOML offset date-time; null if absent. */
    public Instant instant(String key, String expected) throws ConfigException {
        String s = string(key, null, expected);
        if (s == null) return null;
        Instant t = ConfigText.instant(s);
        if (t == null) throw bad(key, expected);
        return t;
    }

    /** The one-line error for the value of {@code key}: {@code [clock] leap: expected ..., got the string "Insert" (line 4)}. */
    public ConfigException bad(String key, String expected) {
        return new ConfigException(label(key) + ": expected " + expected + ", got " + describe(node.get(key), false) + at(key));
    }

    /** {@link #bad} for a secret (a master key, a seed): a string is described by its length, never shown. */
    public ConfigException badSecret(String key, String expected) {
        JsonNode v = node.get(key);
        String got = v != null && v.isTextual() ? "a string of " + v.textValue().length() + " characters" : describe(v, false);
        return new ConfigException(label(key) + ": expected " + expected + ", got " + got + at(key));
    }

    /** {@link #bad} for a numeric expectation: an integer is shown as written ({@code expected an integer 1..255, got 300}). */
    public ConfigException outOfRange(String key, String expected) {
        return new ConfigException(label(key) + ": expected " + expected + ", got " + describe(node.get(key), true) + at(key));
    }

    /** A one-line error about {@code key} with the caller's own words after the label. */
    public ConfigException error(String key, String what) {
        return new ConfigException(label(key) + ": " + what + (node.has(key) ? at(key) : ""));
    }

    /** {@code [nts] key_file (line 5): } and then another file's own one-line error. */
    public ConfigException about(String key, String inner) {
        return new ConfigException(label(key) + (node.has(key) ? at(key) : "") + ": " + inner);
    }

    /** {@code " (line N)"} for the line of {@code key} in this table, or nothing if it cannot be found. */
    private String at(String key) {
        int l = lines.of(name, inArray ? index : -1, key);
        if (l == 0) l = lines.header(name.isEmpty() ? key : name + "." + key);
        return l > 0 ? " (line " + l + ")" : "";
    }

    /** How a value is shown after "got": integers as written, other types named ({@code the string "fast"}). */
    static String describe(JsonNode v, boolean bareInteger) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isIntegralNumber()) return (bareInteger ? "" : "the integer ") + v.asText();
        if (v.isNumber()) return "the float " + floatText(v);
        if (v.isBoolean()) return "the boolean " + v.asText();
        if (v.isTextual()) return "the string " + quote(v.textValue());
        if (v.isArray()) return "an array";
        if (v.isObject()) return "a table";
        return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String floatText(JsonNode v) {
        if (v.isDouble() && Double.isNaN(v.doubleValue())) return "nan";
        if (v.isDouble() && Double.isInfinite(v.doubleValue())) return v.doubleValue() > 0 ? "inf" : "-inf";
        java.math.BigDecimal d = v.decimalValue();
        String t = d.toString();
        return d.scale() <= 0 && !t.contains("E") ? t + ".0" : t;  // 64.0 is read as 64 with scale 0: still a float
    }

    private static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** The source text's lines, to find where a table's key is written. */
    private static final class Lines {
        private static final Pattern HEADER = Pattern.compile("\\s*(\\[\\[?)\\s*([^\\[\\]]+?)\\s*(\\]\\]?)\\s*(#.*)?");
        private static final Pattern KEY = Pattern.compile("\\s*(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+))\\s*=.*");
        private final List<String> text;

        Lines(String s) {
            text = s.lines().toList();
        }

        /** 1-based line of {@code key} in table {@code table} ({@code index}-th of its array of tables, or -1), 0 if not found. */
        int of(String table, int index, String key) {
            String current = "";
            int seen = -1;
            boolean inMultiline = false;
            for (int i = 0; i < text.size(); i++) {
                String line = text.get(i);
                if (inMultiline) {
                    if (count(line) % 2 == 1) inMultiline = false;
                    continue;
                }
                Matcher h = HEADER.matcher(line);
                if (h.matches() && h.group(1).length() == h.group(3).length()) {
                    current = h.group(2).replaceAll("\\s*\\.\\s*", ".").replace("\"", "");
                    if (current.equals(table) && h.group(1).length() == 2) seen++;
                    continue;
                }
                Matcher k = KEY.matcher(line);
                if (k.matches()) {
                    String name = k.group(1) != null ? k.group(1) : k.group(2) != null ? k.group(2) : k.group(3);
                    if (current.equals(table) && (index < 0 || seen == index) && name.equals(key)) return i + 1;
                }
                if (count(line) % 2 == 1) inMultiline = true;
            }
            return 0;
        }

        /** {@code line N: not valid TOML: duplicate key 'k' in [t]} for the first key written twice in one table, or null. */
        String firstDuplicate() {
            java.util.Map<String, Integer> seen = new java.util.HashMap<>();
            String current = "";
            int arrayIndex = 0;
            boolean inMultiline = false;
            for (int i = 0; i < text.size(); i++) {
                String line = text.get(i);
                if (inMultiline) {
                    if (count(line) % 2 == 1) inMultiline = false;
                    continue;
                }
                Matcher h = HEADER.matcher(line);
                if (h.matches() && h.group(1).length() == h.group(3).length()) {
                    current = h.group(1) + h.group(2).replaceAll("\\s*\\.\\s*", ".").replace("\"", "") + h.group(3);
                    arrayIndex++;  // every header starts a new set of keys (a repeated [table] is Jackson's "Table redefined")
                    continue;
                }
                Matcher k = KEY.matcher(line);
                if (k.matches()) {
                    String name = k.group(1) != null ? k.group(1) : k.group(2) != null ? k.group(2) : k.group(3);
                    if (seen.putIfAbsent(arrayIndex + "\u0000" + name, i + 1) != null)
                        return "line " + (i + 1) + ": not valid TOML: duplicate key '" + name + "'" + (current.isEmpty() ? "" : " in " + current)
                                + " (first on line " + seen.get(arrayIndex + "\u0000" + name) + ")";
                }
                if (count(line) % 2 == 1) inMultiline = true;
            }
            return null;
        }

        /** 1-based line of the first header of table {@code table} or of a table below it, 0 if none. */
        int header(String table) {
            for (int i = 0; i < text.size(); i++) {
                Matcher h = HEADER.matcher(text.get(i));
                if (!h.matches()) continue;
                String n = h.group(2).replaceAll("\\s*\\.\\s*", ".").replace("\"", "");
                if (n.equals(table) || n.startsWith(table + ".")) return i + 1;
            }
            return 0;
        }

        private static int count(String line) {
            int n = 0;
            for (int i = line.indexOf("\"\"\""); i >= 0; i = line.indexOf("\"\"\"", i + 3)) n++;
            for (int i = line.indexOf("'''"); i >= 0; i = line.indexOf("'''", i + 3)) n++;
            return n;
        }
    }
}
