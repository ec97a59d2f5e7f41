package dev.sextant.probe;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Metadata of one metric a probe writes: its Prometheus name, help text, base unit and label
 * names. Declared up front so that every exported series has its help text and unit before its
 * first value arrives.
 *
 * <p>The exported Prometheus name is {@link #prometheusName()}: {@code name}, then
 * {@code _unit} when a unit is set (for example {@code sextant_probe_duration} with unit
 * {@code seconds} is exported as {@code sextant_probe_duration_seconds}). Every series also
 * carries the labels {@code run} and {@code model}; {@code labels} are the metric's own, each
 * with a bounded set of values (layers, parameter kinds, eigenvalue ranks), never one per element.
 *
 * @param name        lower-case Prometheus name with the {@code sextant_} prefix, without the unit
 * @param description one sentence for a person reading {@code /metrics}: what and how
 * @param unit        base unit ({@code seconds}, {@code ratio}, ...) or {@code null} when dimensionless
 * @param labels      the metric's own label names, in order
 */
public record MetricSpec(String name, String description, String unit, List<String> labels) {

    private static final Pattern NAME = Pattern.compile("sextant_[a-z0-9_]+");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]*");
    /** Labels that every series has already, or that the exporter sets itself. */
    private static final Set<String> RESERVED = Set.of("run", "model", "probe", "job", "instance");

    public MetricSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        labels = List.copyOf(labels);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name
                    + "' must match sextant_[a-z0-9_]+ (lower case, prefix sextant_)");
        }
        if (unit != null && !unit.matches("[a-z_]+")) {
            throw new IllegalArgumentException("unit '" + unit + "' of " + name + " must be lower case letters");
        }
        for (String l : labels) {
            if (!LABEL.matcher(l).matches() || RESERVED.contains(l)) {
                throw new IllegalArgumentException("label '" + l + "' of " + name
                        + " must be lower case and not one of " + RESERVED);
            }
        }
    }

    /** A model-wide metric (labels run and model only). */
    public static MetricSpec global(String name, String unit, String description) {
        return new MetricSpec(name, description, unit, List.of());
    }

    /** A metric with one value per layer and parameter kind (labels {@code layer}, {@code param}). */
    public static MetricSpec perParameter(String name, String unit, String description) {
        return new MetricSpec(name, description, unit, List.of("layer", "param"));
    }

    /** A metric with its own labels, e.g. {@code rank} for the k-th eigenvalue. */
    public static MetricSpec labelled(String name, String unit, String description, String... labels) {
        return new MetricSpec(name, description, unit, List.of(labels));
    }

    /** The name as it appears in Prometheus' text format. */
    public String prometheusName() {
        return unit == null ? name : name + "_" + unit;
    }
}
