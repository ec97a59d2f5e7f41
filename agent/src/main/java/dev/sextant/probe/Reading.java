package dev.sextant.probe;

import java.util.List;

/**
 * One scalar of a sample, with the values of its metric's labels (in the metric's label order).
 * Non-finite values are kept as they are: a NaN is news, never a zero.
 */
public record Reading(MetricSpec metric, List<String> labelValues, double value) {
    public Reading {
        labelValues = List.copyOf(labelValues);
    }
}
