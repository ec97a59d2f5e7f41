package dev.sextant.probe;

import java.util.ArrayList;
import java.util.List;

/** Collects the readings of one probe call; handed to {@link Probe#sample}. */
public final class Readings {
    private final List<Reading> readings = new ArrayList<>();

    /**
     * Records a value; {@code labelValues} are given in the order of the metric's labels
     * (for a per-parameter metric: layer, then param).
     */
    public void put(MetricSpec metric, double value, String... labelValues) {
        if (labelValues.length != metric.labels().size()) {
            throw new IllegalArgumentException(metric.name() + " takes labels " + metric.labels() + ", got "
                    + labelValues.length + " value(s)");
        }
        readings.add(new Reading(metric, List.of(labelValues), value));
    }

    public List<Reading> list() {
        return readings;
    }
}
