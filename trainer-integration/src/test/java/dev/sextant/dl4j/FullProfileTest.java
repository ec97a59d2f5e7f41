package dev.sextant.dl4j;

import dev.sextant.probe.Probe;
import dev.sextant.probe.Sample;
import dev.sextant.probe.curvature.BatchSharpnessProbe;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.PreconditionedSharpnessProbe;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.schedule.Profile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every probe of the full profile runs on a real network, without failures, and the thresholds follow the optimizer. */
class FullProfileTest {

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "nesterovs", "adam"})
    void everyProbeSamplesARealNetwork(String optimizer) {
        double lr = 0.05;
        MultiLayerNetwork net = TinyNets.mlp(3, switch (optimizer) {
            case "sgd" -> new Sgd(lr);
            case "nesterovs" -> new Nesterovs(lr, 0.9);
            default -> new Adam(lr);
        }, 0);
        CapturingSink sink = new CapturingSink();
        try (SextantListener s = SextantListener.builder().fixedIntervals().profile(Profile.FULL).every(1).noiseEvery(1)
                .sharpnessEvery(2).traceEvery(2).port(-1).eventLog(null).sink(sink).build()) {
            net.addListeners(s);
            for (DataSet ds : TinyNets.batches(4, 5, 16)) {
                net.fit(ds);
            }
            assertTrue(sink.failures.isEmpty(), "probe failures: " + sink.failures);
            for (Probe p : s.probes()) {
                assertTrue(sink.last(p.name()) != null, "no sample from " + p.name());
            }
        }
        Sample sharp = sink.last("sharpness");
        double lambda = sharp.value(SharpnessProbe.SHARPNESS);
        assertTrue(lambda > 0 && Double.isFinite(lambda), "λ1 " + lambda);
        double threshold = optimizer.equals("adam")
                ? sink.last("preconditioned_sharpness").value(CurvatureMetrics.STABILITY_THRESHOLD)
                : sharp.value(CurvatureMetrics.STABILITY_THRESHOLD);
        double expected = switch (optimizer) {
            case "sgd" -> 2 / lr;                                  // Cohen et al. 2021
            case "nesterovs" -> (2 + 2 * 0.9) / ((1 + 2 * 0.9) * lr);
            default -> (2 + 2 * 0.9) / ((1 - 0.9) * lr);           // Cohen et al. 2022, β1 = 0.9
        };
        assertEquals(expected, threshold, 1e-9 * expected, "stability threshold for " + optimizer);
        if (optimizer.equals("adam")) {
            Sample pre = sink.last("preconditioned_sharpness");
            double ps = pre.value(PreconditionedSharpnessProbe.PRECONDITIONED_SHARPNESS);
            assertTrue(ps > 0 && Double.isFinite(ps), "preconditioned sharpness " + ps);
            assertEquals(ps / threshold, pre.value(CurvatureMetrics.EDGE_OF_STABILITY_RATIO), 1e-9 * ps / threshold);
        } else {
            assertEquals(lambda / threshold, sharp.value(CurvatureMetrics.EDGE_OF_STABILITY_RATIO), 1e-9 * lambda / threshold);
            assertFalse(Double.isNaN(sink.last("batch_sharpness").value(BatchSharpnessProbe.BATCH_SHARPNESS_RATIO)));
        }
    }

    @org.junit.jupiter.api.Test
    void underTheDefaultBudgetTheGovernorStretchesCurvatureAndExportsItsState() {
        MultiLayerNetwork net = TinyNets.mlp(3, new Sgd(0.05), 0);
        try (SextantListener s = SextantListener.builder().profile(Profile.FULL).every(1).noiseEvery(1)
                .sharpnessEvery(1).traceEvery(1).port(-1).eventLog(null).build()) {
            net.addListeners(s);
            for (DataSet ds : TinyNets.batches(4, 40, 16)) {
                net.fit(ds);
            }
            String text = s.registry().scrape();
            // A tiny network's step takes well under a millisecond and a Lanczos call tens of
            // products: at 3% the sharpness probe cannot stay at every step.
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("sextant_probe_interval_steps\\{[^}]*probe=\"sharpness\"[^}]*\\} (\\S+)").matcher(text);
            assertTrue(m.find(), text);
            assertTrue(Double.parseDouble(m.group(1)) > 1, "sharpness interval " + m.group(1));
            assertTrue(text.contains("sextant_overhead_ratio{"), text);
        }
    }
}
