package dev.sextant.report;

import java.util.Map;

/**
 * One value of a sample line of the event log.
 *
 * @param metric Prometheus name, e.g. {@code sextant_weight_norm}
 * @param labels the metric's own labels, e.g. {@code layer=0, param=W}
 * @param value  the value; NaN and infinities as logged
 */
public record LoggedValue(String metric, Map<String, String> labels, double value) {
    public LoggedValue {
        labels = Map.copyOf(labels);
    }

    /** Whether every given label has the given value. */
    public boolean has(Map<String, String> wanted) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
