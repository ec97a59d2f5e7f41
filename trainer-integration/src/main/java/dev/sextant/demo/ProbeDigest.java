package dev.sextant.demo;

import dev.sextant.export.SampleSink;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import dev.sextant.probe.curvature.BatchSharpnessProbe;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.HessianTraceProbe;
import dev.sextant.probe.curvature.PreconditionedSharpnessProbe;
import dev.sextant.probe.curvature.SamSharpnessProbe;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.drift.WeightGeometryProbe;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;
import dev.sextant.probe.noise.GradientTestsProbe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The console view of the samples: the newest value of each headline scalar, grouped by the step
 * it was measured at, until the progress printer takes them ({@link #drain()}). A probe that
 * samples every few milliseconds thus prints at the progress rate, and the probes of one step
 * share a line, e.g.
 * <pre>@300  sharpness 25.08  eos_ratio 0.0577  batch_sharp 4.365  trace 135.4  sam 0.04815</pre>
 *
 * <p>Headline scalars: the whole-model value of each metric (labels {@code layer="all"},
 * {@code param="all"}, or no per-layer labels at all; for other labels, such as an eigenvalue's
 * rank, the sample's first reading); per-layer values stay in {@code /metrics} and the event log. Known metrics print under a short name, and their diagnostics (Lanczos
 * residuals, product counts, finite-difference checks, raw noise estimates beside the smoothed
 * ones) are left out; a metric the digest does not know prints under its name without
 * {@code sextant_}. Counts of non-finite values print only when not zero; NaN prints as NaN.
 */
public final class ProbeDigest implements SampleSink {
    /** Lines are wrapped before this many characters (continuations are indented). */
    static final int WIDTH = 100;
    /** Short console names of the known metrics, in print order; {@code null} hides a diagnostic. */
    private static final Map<String, String> SHORT = new LinkedHashMap<>();

    static {
        shortName(WeightGeometryProbe.WEIGHT_NORM, "|w|");
        shortName(WeightGeometryProbe.INIT_DISTANCE, "|w-w0|");
        shortName(WeightGeometryProbe.UPDATE_NORM, null);
        shortName(WeightGeometryProbe.UPDATE_RATIO, "|dw|/|w|");
        shortName(WeightGeometryProbe.UPDATE_COSINE, "cos(dw)");
        shortName(WeightGeometryProbe.GRADIENT_NORM, "|g|");
        shortName(WeightGeometryProbe.WEIGHT_NONFINITE, "nonfinite_w");
        shortName(WeightGeometryProbe.GRADIENT_NONFINITE, "nonfinite_g");
        shortName(SharpnessProbe.SHARPNESS, "sharpness");
        shortName(SharpnessProbe.EIGENVALUE, null);
        shortName(SharpnessProbe.RESIDUAL, null);
        shortName(SharpnessProbe.HVP_COUNT, null);
        shortName(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS, "precond_sharp");
        shortName(PreconditionedSharpnessProbe.RESIDUAL, null);
        shortName(PreconditionedSharpnessProbe.HVP_COUNT, null);
        shortName(CurvatureMetrics.STABILITY_THRESHOLD, "threshold");
        shortName(CurvatureMetrics.EDGE_OF_STABILITY_RATIO, "eos_ratio");
        shortName(CurvatureMetrics.FD_DISAGREEMENT, null);
        shortName(CurvatureMetrics.FD_RETRIES, null);
        shortName(BatchSharpnessProbe.BATCH_SHARPNESS, "batch_sharp");
        shortName(BatchSharpnessProbe.BATCH_SHARPNESS_RATIO, "batch_sharp/thr");
        shortName(HessianTraceProbe.TRACE, "trace");
        shortName(HessianTraceProbe.TRACE_STDERR, null);
        shortName(SamSharpnessProbe.SAM_SHARPNESS, "sam");
        shortName(GradientNoiseScaleProbe.NOISE_SCALE_SMOOTHED, "B_simple");
        shortName(GradientNoiseScaleProbe.BATCH_RATIO, "B_simple/B");
        shortName(GradientNoiseScaleProbe.NOISE_SCALE, null);
        shortName(GradientNoiseScaleProbe.SIGNAL, null);
        shortName(GradientNoiseScaleProbe.SIGNAL_SMOOTHED, null);
        shortName(GradientNoiseScaleProbe.NOISE_TRACE, null);
        shortName(GradientNoiseScaleProbe.NOISE_TRACE_SMOOTHED, null);
        shortName(GradientTestsProbe.NORM_TEST, "norm_test");
        shortName(GradientTestsProbe.INNER_PRODUCT_TEST, "ip_test");
        shortName(GradientTestsProbe.ORTHOGONALITY_TEST, "orth_test");
        shortName(GradientTestsProbe.SNR, "snr");
        shortName(GradientTestsProbe.SNR_EXCLUDED, null);
        shortName(GradientTestsProbe.COSINE, "mb_cos");
    }

    private static void shortName(MetricSpec metric, String shortName) {
        SHORT.put(metric.name(), shortName);
    }

    private final Set<String> skipped;
    /** Fresh values by step, then by console name; each name lives at its newest step only. */
    private final TreeMap<Long, Map<String, String>> fresh = new TreeMap<>();
    private final Map<String, Long> stepOf = new HashMap<>();
    private final List<String> failures = new ArrayList<>();

    /** @param skippedProbes probes whose samples are not shown (e.g. {@code progress}, already in the progress line) */
    public ProbeDigest(Set<String> skippedProbes) {
        this.skipped = Set.copyOf(skippedProbes);
    }

    @Override
    public synchronized void accept(Sample sample) {
        if (skipped.contains(sample.probe())) {
            return;
        }
        for (Map.Entry<String, String> e : headlines(sample).entrySet()) {
            Long previous = stepOf.put(e.getKey(), sample.step());
            if (previous != null && previous != sample.step()) {
                Map<String, String> old = fresh.get(previous);
                old.remove(e.getKey());
                if (old.isEmpty()) {
                    fresh.remove(previous);
                }
            }
            fresh.computeIfAbsent(sample.step(), s -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
        }
    }

    @Override
    public synchronized void probeFailed(String probe, long step, Throwable cause) {
        failures.add(probe + "@" + step + " FAILED: " + cause);
    }

    /** The fresh values as lines, oldest step first, then failures; clears them. */
    public synchronized List<String> drain() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Long, Map<String, String>> step : fresh.entrySet()) {
            wrap(lines, "@" + step.getKey(), step.getValue());
        }
        lines.addAll(failures);
        fresh.clear();
        stepOf.clear();
        failures.clear();
        return lines;
    }

    /** The headline values of a sample by console name, in the order of {@link #SHORT}, unknown metrics last. */
    static Map<String, String> headlines(Sample s) {
        Map<String, String> known = new TreeMap<>((a, b) -> Integer.compare(rank(a), rank(b)));
        Map<String, String> unknown = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Reading r : s.readings()) {
            String name = r.metric().name();
            if (!wholeModel(r) || !seen.add(name)) {
                continue;
            }
            if (name.endsWith("_nonfinite_values") && r.value() == 0) {
                continue;
            }
            if (SHORT.containsKey(name)) {
                String shortName = SHORT.get(name);
                if (shortName != null) {
                    known.put(shortName, number(r.value()));
                }
            } else {
                String label = name.replaceFirst("^sextant_", "");
                if (!r.metric().labels().isEmpty() && !r.metric().labels().contains("layer")) {
                    label += r.labelValues();
                }
                unknown.put(label, number(r.value()));
            }
        }
        Map<String, String> all = new LinkedHashMap<>(known);
        all.putAll(unknown);
        return all;
    }

    private static int rank(String shortName) {
        int i = 0;
        for (String s : SHORT.values()) {
            if (shortName.equals(s)) {
                return i;
            }
            i++;
        }
        return i;
    }

    /** A whole-model reading: no per-layer labels, or {@code layer="all"} and {@code param="all"}. */
    private static boolean wholeModel(Reading r) {
        if (!r.metric().labels().contains("layer")) {
            return true;
        }
        return r.labelValues().stream().allMatch("all"::equals);
    }

    private static void wrap(List<String> lines, String head, Map<String, String> values) {
        StringBuilder sb = new StringBuilder(head);
        Iterator<Map.Entry<String, String>> it = values.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            String item = "  " + e.getKey() + " " + e.getValue();
            if (sb.length() + item.length() > WIDTH && sb.length() > head.length()) {
                lines.add(sb.toString());
                sb = new StringBuilder(" ".repeat(head.length()));
            }
            sb.append(item);
        }
        lines.add(sb.toString());
    }

    /** Four significant digits, plain between 1e-3 and 1e5, scientific outside. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-3 && a < 1e5)) {
            String t = String.format(Locale.ROOT, "%.4g", v);
            if (t.contains("e")) {
                return t;
            }
            return t.contains(".") ? t.replaceAll("0+$", "").replaceAll("\\.$", "") : t;
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
