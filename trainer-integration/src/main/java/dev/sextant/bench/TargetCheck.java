package dev.sextant.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One overhead target judged against a workload's measurements.
 *
 * @param target   the target, in words
 * @param workload the workload's label
 * @param figure   the measured figure
 * @param met      whether it was met; {@code null} when it could not be judged (variant absent)
 * @param note     what dominates or why it could not be judged
 */
public record TargetCheck(String target, String workload, String figure, Boolean met, String note) {
    public static final double DEFAULT_PROFILE_RATIO = 1.02;
    public static final double FULL_PROFILE_RATIO = 1.05;
    public static final double WARM_LAMBDA_STEPS = 10;
    public static final double WARM_LAMBDA_TOLERANCE = 0.01;
    /**
     * A reference whose top Ritz pair has a relative residual above this is not an eigenpair of the
     * Hessian (a ReLU or max-pool kink inside a finite difference produced it); such checks are not judged.
     */
    public static final double RELIABLE_REFERENCE_RESIDUAL = 1e-2;

    /** The four targets on {@code w}. */
    public static List<TargetCheck> evaluate(WorkloadResult w) {
        List<TargetCheck> out = new ArrayList<>();
        String name = w.workload().label();
        VariantResult base = w.baseline();
        out.add(ratio(w, Variant.SEXTANT_DEFAULT, "default profile ≤ 1.02× training alone", DEFAULT_PROFILE_RATIO));
        out.add(ratio(w, Variant.SEXTANT_FULL, "full profile ≤ 1.05× training alone", FULL_PROFILE_RATIO));
        out.add(ratio(w, Variant.SEXTANT_FULL_GOVERNED, "full profile under the 3% governor ≤ 1.05×",
                FULL_PROFILE_RATIO));
        out.add(warmLambda(w, base));
        out.add(memory(w, name));
        return out;
    }

    private static TargetCheck ratio(WorkloadResult w, Variant v, String target, double limit) {
        VariantResult r = w.find(v);
        VariantResult base = w.baseline();
        String name = w.workload().label();
        if (r == null || !r.ran() || base == null || !base.ran()) {
            return new TargetCheck(target, name, "—", null,
                    r == null ? v.label() + " not run" : r.unavailable() != null ? r.unavailable() : "no baseline");
        }
        double amortised = r.amortisedMs() / base.amortisedMs();
        double median = r.medianMs() / base.medianMs();
        double[] rounds = r.roundRatioRange(base);
        double own = r.listenerRatio();
        String figure = String.format(Locale.ROOT, "%.3f× from time inside Sextant; wall clock: amortised %.3f× "
                + "(rounds %.2f–%.2f), median %.3f×", own, amortised, rounds[0], rounds[1], median);
        String note = v == Variant.SEXTANT_DEFAULT ? "" : dominant(w, base.medianMs());
        if (v == Variant.SEXTANT_FULL_GOVERNED) {
            note = "the governor stretched: " + r.intervals();
            GovernedStretch g = w.governed();
            if (g != null) {
                // the interleaved blocks disturb the governor's step-time estimate; judge on the stretch trained alone
                figure = String.format(Locale.ROOT, "%.3f× from time inside Sextant over %d steps trained alone; in "
                        + "the interleaved blocks %s", g.listenerRatio(), g.steps(), figure);
                own = g.listenerRatio();
            }
        }
        return new TargetCheck(target, name, figure, own <= limit, note);
    }

    /** The probe with the largest predicted share of step time in the FULL variant. */
    static String dominant(WorkloadResult w, double stepMs) {
        ProbeCost top = null;
        double total = 0;
        for (ProbeCost c : w.probeCosts()) {
            double share = c.overheadShare(stepMs);
            if (Double.isNaN(share)) {
                continue;
            }
            total += share;
            if (top == null || share > top.overheadShare(stepMs)) {
                top = c;
            }
        }
        if (top == null) {
            return "";
        }
        return String.format(Locale.ROOT, "largest share: %s, %.1f%% of a step of the %.1f%% the probes add",
                top.probe(), 100 * top.overheadShare(stepMs), 100 * total);
    }

    private static TargetCheck warmLambda(WorkloadResult w, VariantResult base) {
        String target = "warm-started λmax to 1% in ≤ 10 step-equivalents";
        String name = w.workload().label();
        if (base == null || !base.ran()) {
            return new TargetCheck(target, name, "—", null, "no baseline");
        }
        List<Double> costs = new ArrayList<>();
        double worstError = 0;
        int unreliable = 0;
        for (CurvatureAccuracyProbe.Check c : w.checks()) {
            if (c.warm() && !(c.referenceResidual() <= RELIABLE_REFERENCE_RESIDUAL)) {
                unreliable++;
            } else if (c.warm()) {
                costs.add(c.onePercentSteps());
                worstError = Math.max(worstError, c.onePercentError());
            }
        }
        if (costs.isEmpty()) {
            return new TargetCheck(target, name, "—", null,
                    w.curvatureNote() != null ? w.curvatureNote() : "no warm-started check ran");
        }
        double[] a = costs.stream().mapToDouble(Double::doubleValue).toArray();
        double median = Statistics.median(a);
        String figure = String.format(Locale.ROOT, "median %.1f steps (max %.1f), worst error %.2f%%", median,
                Statistics.max(a), 100 * worstError);
        boolean met = median <= WARM_LAMBDA_STEPS && worstError <= WARM_LAMBDA_TOLERANCE;
        String note = worstError > WARM_LAMBDA_TOLERANCE ? "the 1e-2 stopping rule stopped short of 1% accuracy" : "";
        if (unreliable > 0) {
            note = (note.isEmpty() ? "" : note + "; ") + unreliable + " warm check(s) left out: the reference's residual "
                    + "exceeded " + RELIABLE_REFERENCE_RESIDUAL + " (a finite-difference kink, not an eigenvalue)";
        }
        return new TargetCheck(target, name, figure, met, note);
    }

    private static TargetCheck memory(WorkloadResult w, String name) {
        String target = "extra memory ≤ 4 parameter-sized float64 buffers + 1 probe batch";
        VariantResult full = w.find(Variant.SEXTANT_FULL);
        if (full == null || !full.ran() || full.sextantBytes() < 0) {
            return new TargetCheck(target, name, "—", null, "sextant-full did not run");
        }
        long extra = full.sextantBytes();
        long allowance = w.memoryAllowanceBytes();
        String figure = String.format(Locale.ROOT, "%.1f MiB of ND4J buffers held by the FULL listener "
                        + "(allowance %.1f MiB); %.1f float64 parameter buffers", mib(extra), mib(allowance),
                (double) extra / (Double.BYTES * w.parameters()));
        String largest = "listener without probes";
        long largestBytes = full.ownBytes();
        for (Map.Entry<String, Long> e : full.probeBytes().entrySet()) {
            if (e.getValue() > largestBytes) {
                largest = e.getKey();
                largestBytes = e.getValue();
            }
        }
        String note = String.format(Locale.ROOT, "largest holder: %s, %.1f MiB", largest, mib(largestBytes));
        return new TargetCheck(target, name, figure, extra <= allowance, note);
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
