package dev.sextant.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Cost of one probe per call, from its exact timings ({@link ProbeTimings}).
 *
 * @param probe    probe name
 * @param calls    calls counted
 * @param interval steps between calls (smallest gap seen), or 0 when there was one call
 * @param medianMs median time of a call, milliseconds
 * @param meanMs   mean time of a call
 * @param maxMs    longest call
 */
public record ProbeCost(String probe, int calls, long interval, double medianMs, double meanMs, double maxMs) {

    /** Median call time in training steps: {@code medianMs / stepMs}. */
    public double stepEquivalents(double stepMs) {
        return medianMs / stepMs;
    }

    /**
     * Predicted share of the training time this probe adds at its interval:
     * {@code meanMs / (interval · stepMs)}; NaN without an interval.
     */
    public double overheadShare(double stepMs) {
        return interval == 0 ? Double.NaN : meanMs / (interval * stepMs);
    }

    /** The cost of each probe timed in {@code timings}, counting calls at steps ≥ {@code fromStep}. */
    public static List<ProbeCost> of(ProbeTimings timings, long fromStep) {
        List<ProbeCost> out = new ArrayList<>();
        for (String probe : timings.probes()) {
            List<ProbeTimings.Call> calls = timings.calls(probe, fromStep);
            if (calls.isEmpty()) {
                continue;
            }
            double[] ms = new double[calls.size()];
            long interval = 0;
            for (int i = 0; i < ms.length; i++) {
                ms[i] = calls.get(i).seconds() * 1e3;
                if (i > 0) {
                    long gap = calls.get(i).step() - calls.get(i - 1).step();
                    interval = interval == 0 ? gap : Math.min(interval, gap);
                }
            }
            out.add(new ProbeCost(probe, ms.length, interval, Statistics.median(ms), Statistics.mean(ms),
                    Statistics.max(ms)));
        }
        return out;
    }
}
