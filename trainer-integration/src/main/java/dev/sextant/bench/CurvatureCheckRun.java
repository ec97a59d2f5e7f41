package dev.sextant.bench;

import dev.sextant.dl4j.SextantListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains a network on with only a {@link CurvatureAccuracyProbe} attached, every {@code gap}
 * steps, until it has one cold and {@code warmChecks} warm-started checks (or failed). The steps
 * in between are timed: each check's costs are expressed in the median of the steps since the
 * previous one, measured under the same load from other processes.
 */
final class CurvatureCheckRun {
    private CurvatureCheckRun() {
    }

    /**
     * @return the checks; an exception from the probe is rethrown as {@link IllegalStateException}
     */
    static List<CurvatureAccuracyProbe.Check> run(MultiLayerNetwork net, BatchStream batches, Workload workload,
                                                  int warmChecks, int gap, long seed, PrintStream out) {
        double[] recent = new double[gap];
        int[] count = {0};
        // the median of the steps since the previous check: same load as the check itself
        CurvatureAccuracyProbe probe = new CurvatureAccuracyProbe(seed, () -> count[0] == 0 ? Double.NaN
                : Statistics.median(Arrays.copyOf(recent, Math.min(count[0], recent.length))));
        SextantListener.Builder b = SextantListener.builder()
                .runId("bench-curvature")
                .model(workload.label())
                .port(-1)
                .eventLog(null)
                .withoutDefaultProbes()
                .probe(probe, gap)
                .fixedIntervals();
        int wanted = warmChecks + 1;
        // the first check comes at the first step seen: train a gap first, so it has steps to compare with
        for (int i = 0; i < gap; i++) {
            long t = System.nanoTime();
            net.fit(batches.next(net));
            recent[count[0]++ % recent.length] = (System.nanoTime() - t) * 1e-6;
        }
        try (SextantListener listener = b.build()) {
            net.setListeners(listener);
            long limit = (long) (wanted + 1) * gap;
            int seen = 0;
            for (long i = 0; i < limit && probe.checks().size() < wanted && probe.failure() == null; i++) {
                DataSet batch = batches.next(net);
                long t = System.nanoTime();
                net.fit(batch);
                double ms = (System.nanoTime() - t) * 1e-6;
                List<CurvatureAccuracyProbe.Check> checks = probe.checks();
                if (checks.size() > seen) {
                    CurvatureAccuracyProbe.Check c = checks.get(checks.size() - 1);
                    out.printf(Locale.ROOT, "%s curvature check at step %d (%s): reference λ1 %.5g; probe %.5g in %.1f "
                                    + "steps; tol 1e-2 %.5g in %.1f steps; one gradient %.2f steps of %.2f ms; "
                                    + "reference took %.1f s%n",
                            workload.label(), c.step(), c.warm() ? "warm" : "cold", c.referenceLambda(),
                            c.probeLambda(), c.probeSteps(), c.onePercentLambda(), c.onePercentSteps(),
                            c.gradientSteps(), c.stepMs(), c.referenceSeconds());
                    seen = checks.size();
                    count[0] = 0;
                } else {
                    recent[count[0]++ % recent.length] = ms;
                }
            }
        } finally {
            net.setListeners();
        }
        if (probe.failure() != null) {
            throw new IllegalStateException("curvature check failed: " + probe.failure(), probe.failure());
        }
        return probe.checks();
    }
}
