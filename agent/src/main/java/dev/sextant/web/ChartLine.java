package dev.sextant.web;

import dev.sextant.export.Json;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which values of a metric a chart draws, and how.
 *
 * @param metric  Prometheus name of the metric, as in the event log ({@code MetricSpec.prometheusName()})
 * @param label   legend text; with {@code splitBy}, the prefix of each line's legend
 * @param axis    {@code left} or {@code right}
 * @param where   label values a value must have (e.g. {@code layer=all}); empty for none
 * @param splitBy label names that make one line per distinct combination of their values (e.g.
 *                {@code layer, param}); the whole-model value {@code all} is left out. Empty: one line
 */
public record ChartLine(String metric, String label, String axis, Map<String, String> where, List<String> splitBy) {

    public ChartLine {
        if (!axis.equals("left") && !axis.equals("right")) {
            throw new IllegalArgumentException("axis: '" + axis + "'; use left or right");
        }
        where = Map.copyOf(where);
        splitBy = List.copyOf(splitBy);
    }

    /** One line of a model-wide metric. */
    static ChartLine of(String metric, String label, String axis) {
        return new ChartLine(metric, label, axis, Map.of(), List.of());
    }

    /** One line of the whole-model value ({@code layer=all, param=all}) of a per-parameter metric. */
    static ChartLine wholeModel(String metric, String label, String axis) {
        return new ChartLine(metric, label, axis, Map.of("layer", "all", "param", "all"), List.of());
    }

    /** One line per value combination of {@code labels}. */
    static ChartLine split(String metric, String label, String... labels) {
        return new ChartLine(metric, label, "left", Map.of(), List.of(labels));
    }

    void appendJson(StringBuilder sb) {
        sb.append("{\"metric\":");
        Json.string(sb, metric);
        sb.append(",\"label\":");
        Json.string(sb, label);
        sb.append(",\"axis\":");
        Json.string(sb, axis);
        sb.append(",\"where\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(where).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Json.string(sb, e.getKey());
            sb.append(':');
            Json.string(sb, e.getValue());
        }
        sb.append("},\"splitBy\":[");
        for (int i = 0; i < splitBy.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Json.string(sb, splitBy.get(i));
        }
        sb.append("]}");
    }
}
