package dev.sextant.bench;

import dev.sextant.dl4j.SextantListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Trains a network on with only a {@link CurvatureAccuracyProbe} attached, every {@code gap}
 * steps, until it has one cold and {@code warmChecks} warm-started checks (or failed).
 */
final class CurvatureCheckRun {
    private CurvatureCheckRun() {
    }

    /**
     * @return the checks; an exception from the probe is rethrown as {@link IllegalStateException}
     */
    static List<CurvatureAccuracyProbe.Check> run(MultiLayerNetwork net, BatchStream batches, Workload workload,
                                                  int warmChecks, int gap, long seed, double stepMs, PrintStream out) {
        CurvatureAccuracyProbe probe = new CurvatureAccuracyProbe(seed);
        SextantListener.Builder b = SextantListener.builder()
                .runId("bench-curvature")
                .model(workload.label())
                .port(-1)
                .eventLog(null)
                .withoutDefaultProbes()
                .probe(probe, gap)
                .fixedIntervals();
        int wanted = warmChecks + 1;
        try (SextantListener listener = b.build()) {
            net.setListeners(listener);
            long limit = (long) (wanted + 1) * gap;
            int seen = 0;
            for (long i = 0; i < limit && probe.checks().size() < wanted && probe.failure() == null; i++) {
                net.fit(batches.next(net));
                List<CurvatureAccuracyProbe.Check> checks = probe.checks();
                if (checks.size() > seen) {
                    CurvatureAccuracyProbe.Check c = checks.get(checks.size() - 1);
                    out.printf(Locale.ROOT, "%s curvature check at step %d (%s): reference λ1 %.5g; probe %.5g in %.1f "
                                    + "steps; tol 1e-2 %.5g in %.1f steps; reference took %.1f s%n",
                            workload.label(), c.step(), c.warm() ? "warm" : "cold", c.referenceLambda(),
                            c.probeLambda(), c.probeSeconds() * 1e3 / stepMs, c.onePercentLambda(),
                            c.onePercentSeconds() * 1e3 / stepMs, c.referenceSeconds());
                    seen = checks.size();
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
