package org.nnlang.compiler.inspect;

import java.util.Locale;

/** How the summaries write numbers: exact with thousands separators, or short ({@code 3.25 M}, {@code 1.7 MiB}). */
public final class Units {
    private Units() {
    }

    /** {@code 1,234,567}. */
    public static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@code +1,234} or {@code -20,000}, {@code 0}: a change. */
    public static String delta(long value) {
        return value > 0 ? "+" + number(value) : number(value);
    }

    /** {@code 950}, {@code 3.25 k}, {@code 3.25 M}, {@code 1.20 G}: for counts such as MACs. */
    public static String count(long value) {
        double v = Math.abs(value);
        String sign = value < 0 ? "-" : "";
        if (v < 1_000) {
            return sign + (long) v;
        }
        String[] units = {" k", " M", " G", " T"};
        int unit = -1;
        while (v >= 1_000 && unit < units.length - 1) {
            v /= 1_000;
            unit++;
        }
        return sign + String.format(Locale.ROOT, "%.2f", v) + units[unit];
    }

    /** {@code 512 B}, {@code 16.0 KiB}, {@code 1.71 MiB}. */
    public static String bytes(long value) {
        if (value < 1024) {
            return value + " B";
        }
        double v = value;
        String[] units = {" KiB", " MiB", " GiB", " TiB"};
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v) + units[unit];
    }

    /** {@code 98.73%}, or empty for 0 of 0. */
    public static String percent(long part, long whole) {
        return whole == 0 ? "" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }
}
