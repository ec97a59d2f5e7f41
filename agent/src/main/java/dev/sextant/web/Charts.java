package dev.sextant.web;

import dev.sextant.export.MetricsExporter;
import dev.sextant.probe.curvature.BatchSharpnessProbe;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.PreconditionedSharpnessProbe;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.drift.WeightGeometryProbe;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;
import dev.sextant.probe.progress.TrainingProgressProbe;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The charts of the live page and of the run report, in page order. Metric names come from the
 * probes' own {@code MetricSpec}s, so a renamed metric cannot leave a chart silently empty.
 */
public final class Charts {
    private Charts() {
    }

    /** Pseudo-metric of the probe durations: each entry's {@code seconds}, by label {@code probe}. */
    public static final String PROBE_DURATION = MetricsExporter.PROBE_DURATION.prometheusName();

    public static final Chart LOSS = new Chart("loss", "Loss and learning rate",
            "Mini-batch loss (left axis) and the learning rate after its schedule (right axis).",
            "The progress probe writes these (on by default, every N steps: builder .every(N)).",
            "loss", "learning rate", false, List.of(
            ChartLine.of(TrainingProgressProbe.LOSS.prometheusName(), "loss", "left"),
            ChartLine.of(TrainingProgressProbe.LEARNING_RATE.prometheusName(), "learning rate", "right")));

    public static final Chart SHARPNESS = new Chart("sharpness", "Sharpness and the stability threshold",
            "Top Hessian eigenvalue against the optimizer's stability threshold (2/η for SGD, preconditioned "
                    + "for Adam; Cohen et al. 2021, 2022). Right axis: their ratio; above 1 a quadratic model of "
                    + "the loss diverges at this learning rate.",
            "Curvature probes run with builder .profile(Profile.FULL) (sharpness every 500 steps, batch "
                    + "sharpness every 50), or add one: .probe(SharpnessProbe.builder().build(), 100).",
            "eigenvalue", "ratio", false, List.of(
            ChartLine.of(SharpnessProbe.SHARPNESS.prometheusName(), "sharpness λ₁", "left"),
            ChartLine.of(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS.prometheusName(),
                    "preconditioned sharpness", "left"),
            ChartLine.of(BatchSharpnessProbe.BATCH_SHARPNESS.prometheusName(), "batch sharpness", "left"),
            ChartLine.of(CurvatureMetrics.STABILITY_THRESHOLD.prometheusName(), "stability threshold", "left"),
            ChartLine.of(CurvatureMetrics.EDGE_OF_STABILITY_RATIO.prometheusName(), "λ₁ / threshold", "right"),
            ChartLine.of(BatchSharpnessProbe.BATCH_SHARPNESS_RATIO.prometheusName(), "batch sharpness / threshold",
                    "right")));

    public static final Chart NOISE = new Chart("noise", "Gradient noise scale and batch size (log scale)",
            "Simple gradient noise scale B = tr(Σ)/|G|² (McCandlish et al. 2018) of the whole model, raw and "
                    + "smoothed, against the batch size in use: well above it, larger batches would still pay off. "
                    + "A raw estimate at or below 0 (noise swamped the signal) is not drawn.",
            "The noise probes run with builder .profile(Profile.FULL) (every 50 steps), or add one: "
                    + ".probe(GradientNoiseScaleProbe.withDefaults(), 10).",
            "examples", null, true, List.of(
            ChartLine.wholeModel(GradientNoiseScaleProbe.NOISE_SCALE.prometheusName(), "noise scale", "left"),
            ChartLine.wholeModel(GradientNoiseScaleProbe.NOISE_SCALE_SMOOTHED.prometheusName(),
                    "noise scale (smoothed)", "left"),
            ChartLine.of(TrainingProgressProbe.BATCH_SIZE.prometheusName(), "batch size", "left")));

    public static final Chart WEIGHT_NORM = new Chart("weight_norm", "Weight norms",
            "‖w‖ per layer and parameter kind.",
            "The weights probe writes these (on by default).",
            "‖w‖", null, false, List.of(
            ChartLine.split(WeightGeometryProbe.WEIGHT_NORM.prometheusName(), "", "layer", "param")));

    public static final Chart INIT_DISTANCE = new Chart("init_distance", "Distance from initialisation",
            "‖w − w₀‖ per layer and parameter kind, w₀ = the parameters when Sextant attached.",
            "The weights probe writes these (on by default).",
            "‖w − w₀‖", null, false, List.of(
            ChartLine.split(WeightGeometryProbe.INIT_DISTANCE.prometheusName(), "", "layer", "param")));

    public static final Chart UPDATE_RATIO = new Chart("update_ratio", "Update ratio (log scale)",
            "‖Δw‖/‖w‖ per layer and parameter kind; DL4J's rule of thumb puts it near 1e-3.",
            "The weights probe writes these from its second sample on (on by default).",
            "‖Δw‖ / ‖w‖", null, true, List.of(
            ChartLine.split(WeightGeometryProbe.UPDATE_RATIO.prometheusName(), "", "layer", "param")));

    public static final Chart OVERHEAD = new Chart("overhead", "Sextant's overhead",
            "Training-thread time of each probe call, in seconds (log scale).",
            "Probe durations appear with the first probe call; an event log without a \"seconds\" field has none.",
            "seconds", null, true, List.of(
            ChartLine.split(PROBE_DURATION, "", "probe")));

    /** Every chart, in page order. */
    public static List<Chart> all() {
        return List.of(LOSS, SHARPNESS, NOISE, WEIGHT_NORM, INIT_DISTANCE, UPDATE_RATIO, OVERHEAD);
    }

    /** The metric names some chart draws (and so the only ones a report needs to inline). */
    public static Set<String> metrics() {
        Set<String> names = new TreeSet<>();
        for (Chart c : all()) {
            for (ChartLine l : c.lines()) {
                names.add(l.metric());
            }
        }
        return names;
    }

    /** The charts as a JSON array, for the page's script. */
    public static String json() {
        StringBuilder sb = new StringBuilder(4096).append('[');
        List<Chart> all = all();
        for (int i = 0; i < all.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            all.get(i).appendJson(sb);
        }
        return sb.append(']').toString();
    }
}
