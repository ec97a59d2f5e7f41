package dev.sextant.probe;

import java.util.List;

/**
 * What one probe measured at one training step: a handful of scalars tagged with the step.
 *
 * @param probe          the probe's name
 * @param step           DL4J iteration count at the step (0-based)
 * @param epoch          DL4J epoch count
 * @param wallTimeMillis wall-clock time of the sample, milliseconds since the Unix epoch
 * @param readings       the values
 */
public record Sample(String probe, long step, int epoch, long wallTimeMillis, List<Reading> readings) {
    public Sample {
        readings = List.copyOf(readings);
    }

    /** The value of a metric for the given label values, or NaN when the sample lacks it. */
    public double value(MetricSpec metric, String... labelValues) {
        List<String> wanted = List.of(labelValues);
        for (Reading r : readings) {
            if (r.metric().equals(metric) && r.labelValues().equals(wanted)) {
                return r.value();
            }
        }
        return Double.NaN;
    }
}
