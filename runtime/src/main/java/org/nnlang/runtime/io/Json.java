package org.nnlang.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small, strict JSON reader and writer a safetensors header needs. It reads objects, arrays, strings (with every
 * JSON escape) and integers, and rejects everything else — fractions, exponents, {@code true}, {@code false},
 * {@code null}, duplicate keys, trailing commas, comments — with a message saying what was found and where.
 *
 * <p>Values come back as {@code Map<String, Object>} (a {@link LinkedHashMap}, keys in file order),
 * {@code List<Object>}, {@code String} and {@code Long}.
 */
final class Json {
    /** Nesting deeper than this is refused rather than risking the stack; a safetensors header nests three deep. */
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** What is wrong with a JSON text, and at which character (counted from 0). */
    static final class SyntaxException extends Exception {
        final int position;

        SyntaxException(String message, int position) {
            super(message + " at character " + position);
            this.position = position;
        }
    }

    /** Parses {@code text}, which must hold exactly one value, optionally surrounded by whitespace. */
    static Object parse(String text) throws SyntaxException {
        Json json = new Json(text);
        json.skipWhitespace();
        Object value = json.value(0);
        json.skipWhitespace();
        if (json.pos < text.length()) {
            throw json.error("unexpected " + json.describeHere() + " after the end of the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("values nested more than " + MAX_DEPTH + " deep");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of the JSON text, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return integer();
                }
                if (Character.isLetter(c)) {
                    int start = pos;
                    while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                        pos++;
                    }
                    String word = text.substring(start, pos);
                    pos = start;
                    throw error("unexpected '" + word + "'; only objects, arrays, strings and integers are allowed");
                }
                throw error("unexpected " + describeHere() + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeHere() + ", expected a key (a string in double quotes)");
            }
            int keyStart = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth + 1);
            if (map.putIfAbsent(key, value) != null) {
                pos = keyStart;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            if (peek() == '}') {
                pos++;
                return map;
            }
            throw error("unexpected " + describeHere() + ", expected ',' or '}'");
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        List<Object> list = new ArrayList<>();
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            if (peek() == ']') {
                pos++;
                return list;
            }
            throw error("unexpected " + describeHere() + ", expected ',' or ']'");
        }
    }

    private String string() throws SyntaxException {
        pos++; // '"'
        StringBuilder s = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c < 0x20) {
                throw error(String.format("control character U+%04X inside a string (it must be escaped)", (int) c));
            }
            if (c != '\\') {
                s.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos + 1);
            switch (e) {
                case '"' -> s.append('"');
                case '\\' -> s.append('\\');
                case '/' -> s.append('/');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    s.append(hex4(pos + 2));
                    pos += 4;
                }
                default -> throw error("unknown escape '\\" + e + "' in a string");
            }
            pos += 2;
        }
        String result = s.toString();
        // Escapes can spell half of a surrogate pair, which is no character at all.
        for (int i = 0; i < result.length(); i++) {
            char c = result.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < result.length() && Character.isLowSurrogate(result.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("string holds an unpaired surrogate \\u" + String.format("%04X", (int) c));
            }
        }
        return result;
    }

    private char hex4(int at) throws SyntaxException {
        if (at + 4 > text.length()) {
            throw error("incomplete \\u escape");
        }
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 'f') {
                throw error("bad \\u escape: '" + text.charAt(i) + "' is not a hexadecimal digit");
            }
            value = value * 16 + digit;
        }
        return (char) value;
    }

    private Long integer() throws SyntaxException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int digitsStart = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == digitsStart) {
            pos = start;
            throw error("'-' not followed by digits");
        }
        if (text.charAt(digitsStart) == '0' && pos - digitsStart > 1) {
            pos = start;
            throw error("number with a leading zero");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos = start;
            throw error("unexpected non-integer number; only integers are allowed");
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer " + text.substring(start, pos) + " is too large");
        }
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("unexpected " + describeHere() + ", expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "end of the JSON text";
        }
        char c = text.charAt(pos);
        return c < 0x20 || c == 0x7f ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message, pos);
    }

    /** {@code s} as a JSON string: quotes, backslashes and control characters escaped, everything else as is. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
