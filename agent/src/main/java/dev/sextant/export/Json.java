package dev.sextant.export;

import dev.sextant.probe.Reading;

import java.util.List;

/**
 * The little JSON writing Sextant needs (event log, live page, run report): strings and numbers. Strings escape
 * {@code <}, {@code >} and {@code &} as {@code \u003c}-style escapes, so JSON can be placed inside
 * an HTML {@code <script>} element as it is; non-finite numbers are written as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, as in the event log.
 */
public final class Json {
    private Json() {
    }

    /** Appends {@code s} as a JSON string literal (null as {@code null}). */
    public static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Appends a finite number as a JSON number, a non-finite one as a string. */
    public static void number(StringBuilder sb, double v) {
        if (Double.isFinite(v)) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                sb.append((long) v);
            } else {
                sb.append(v);
            }
        } else {
            string(sb, Double.toString(v));
        }
    }

    /**
     * Appends one reading as the event log writes it:
     * {@code {"metric":"sextant_weight_norm","layer":"0","param":"W","value":3.1}}.
     */
    public static void reading(StringBuilder sb, Reading r) {
        sb.append("{\"metric\":");
        string(sb, r.metric().prometheusName());
        List<String> names = r.metric().labels();
        for (int i = 0; i < names.size(); i++) {
            sb.append(',');
            string(sb, names.get(i));
            sb.append(':');
            string(sb, r.labelValues().get(i));
        }
        sb.append(",\"value\":");
        number(sb, r.value());
        sb.append('}');
    }
}
