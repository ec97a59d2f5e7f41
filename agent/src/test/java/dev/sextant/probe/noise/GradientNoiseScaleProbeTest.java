package dev.sextant.probe.noise;

import dev.sextant.probe.Reading;
import dev.sextant.probe.Readings;
import dev.sextant.validation.NoisyGradientModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.sextant.probe.noise.GradientNoiseScaleProbe.ALL;
import static dev.sextant.probe.noise.GradientNoiseScaleProbe.BATCH_RATIO;
import static dev.sextant.probe.noise.GradientNoiseScaleProbe.NOISE_SCALE;
import static dev.sextant.probe.noise.GradientNoiseScaleProbe.NOISE_SCALE_SMOOTHED;
import static dev.sextant.probe.noise.GradientNoiseScaleProbe.NOISE_TRACE;
import static dev.sextant.probe.noise.GradientNoiseScaleProbe.NOISE_TRACE_SMOOTHED;
import static dev.sextant.probe.noise.GradientNoiseScaleProbe.SIGNAL;
import static dev.sextant.probe.noise.GradientNoiseScaleProbe.SIGNAL_SMOOTHED;
import static dev.sextant.probe.noise.NoiseProbeFixtures.step;
import static dev.sextant.probe.noise.NoiseProbeFixtures.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The noise-scale probe's bookkeeping: smoothing as a ratio of averages, per-segment values, the
 * batch ratio, steps without an estimate, and configuration checks. Its accuracy against a known
 * covariance is {@link NoiseValidationCasesTest}.
 */
class GradientNoiseScaleProbeTest {
    /** Short float64 formulas over the same numbers: a few ulps. */
    private static final double ROUNDING = 1e-12;

    /**
     * With β = 0.5 and two samples, the bias-corrected averages are (βS₁+S₂)/(1+β) and
     * (βG₁+G₂)/(1+β), so the smoothed noise scale is (βS₁+S₂)/(βG₁+G₂): not the average of the two
     * ratios, which the test checks differs here by more than 1%.
     */
    @Test
    void smoothedNoiseScaleIsTheRatioOfTheAverages() {
        double beta = 0.5;
        GradientNoiseScaleProbe probe = GradientNoiseScaleProbe.builder().emaDecay(beta).build();
        NoiseProbeFixtures data = new NoiseProbeFixtures(1);
        Readings first = new Readings();
        probe.sample(step(data.batch(32)), first);
        Readings second = new Readings();
        probe.sample(step(data.batch(32)), second);

        double s1 = value(first, NOISE_TRACE, ALL, ALL);
        double g1 = value(first, SIGNAL, ALL, ALL);
        double s2 = value(second, NOISE_TRACE, ALL, ALL);
        double g2 = value(second, SIGNAL, ALL, ALL);
        double expectedTrace = (beta * s1 + s2) / (1 + beta);
        double expectedSignal = (beta * g1 + g2) / (1 + beta);
        double expected = (beta * s1 + s2) / (beta * g1 + g2);
        assertEquals(expectedTrace, value(second, NOISE_TRACE_SMOOTHED, ALL, ALL), Math.abs(expectedTrace) * ROUNDING);
        assertEquals(expectedSignal, value(second, SIGNAL_SMOOTHED, ALL, ALL), Math.abs(expectedSignal) * ROUNDING);
        assertEquals(expected, value(second, NOISE_SCALE_SMOOTHED, ALL, ALL), Math.abs(expected) * ROUNDING);

        double averageOfRatios = (beta * s1 / g1 + s2 / g2) / (1 + beta);
        assertTrue(Math.abs(averageOfRatios - expected) > 0.01 * Math.abs(expected),
                "the data must tell a ratio of averages from an average of ratios");
        assertEquals(s1 / g1, value(first, NOISE_SCALE, ALL, ALL), Math.abs(s1 / g1) * ROUNDING);
    }

    /** The alert's number: smoothed whole-model noise scale over the training batch size, exactly. */
    @Test
    void batchRatioIsTheSmoothedNoiseScaleOverTheBatchSize() {
        Readings out = new Readings();
        GradientNoiseScaleProbe.withDefaults().sample(step(new NoiseProbeFixtures(2).batch(40)), out);
        assertEquals(value(out, NOISE_SCALE_SMOOTHED, ALL, ALL) / 40, value(out, BATCH_RATIO), 0.0);
    }

    /** tr(Σ) and |G|² are sums over coordinates, so the segments' estimates add up to the model's. */
    @Test
    void segmentEstimatesAddUpToTheWholeModel() {
        Readings out = new Readings();
        GradientNoiseScaleProbe.withDefaults().sample(step(new NoiseProbeFixtures(3).batch(32)), out);
        for (var metric : List.of(NOISE_TRACE, SIGNAL)) {
            double whole = value(out, metric, ALL, ALL);
            double parts = value(out, metric, "0", "W") + value(out, metric, "0", "b");
            assertEquals(whole, parts, Math.abs(whole) * ROUNDING, metric.name());
        }
    }

    /**
     * A batch of 3 with k = 4 cannot be split: every metric of that step is NaN, nothing throws,
     * and the moving averages continue as if the step had not been sampled (same numbers, bit for
     * bit, as a probe that never saw it).
     */
    @Test
    void batchSmallerThanKWritesNaNAndLeavesTheAveragesAlone() {
        NoiseProbeFixtures data = new NoiseProbeFixtures(4);
        NoisyGradientModel a = data.batch(32);
        NoisyGradientModel tiny = data.batch(3);
        NoisyGradientModel b = data.batch(32);
        GradientNoiseScaleProbe interrupted = GradientNoiseScaleProbe.withDefaults();
        GradientNoiseScaleProbe reference = GradientNoiseScaleProbe.withDefaults();

        interrupted.sample(step(a), new Readings());
        Readings nan = new Readings();
        interrupted.sample(step(tiny), nan);
        Readings after = new Readings();
        interrupted.sample(step(b), after);
        reference.sample(step(a), new Readings());
        Readings expected = new Readings();
        reference.sample(step(b), expected);

        // 6 metrics × (2 segments + whole model) + the batch ratio
        assertEquals(6 * 3 + 1, nan.list().size());
        assertTrue(nan.list().stream().allMatch(r -> Double.isNaN(r.value())), nan.list().toString());
        assertEquals(expected.list(), after.list());
    }

    /**
     * A NaN in one gradient coordinate (segment W) shows as NaN in the raw and smoothed values of
     * that step for W and the whole model, and does not poison their averages: the next step reads
     * as if the NaN step had not happened. Segment b, whose estimate stayed finite, takes its sample
     * as usual: each label set averages its own finite samples.
     */
    @Test
    void nonFiniteGradientsAreReportedAndKeptOutOfTheAverages() {
        NoiseProbeFixtures data = new NoiseProbeFixtures(5);
        NoisyGradientModel a = data.batch(32);
        NoisyGradientModel b = data.batch(32);
        double[][] poisoned = data.batch(32).perExample().toDoubleMatrix();
        poisoned[5][2] = Double.NaN;
        GradientNoiseScaleProbe probe = GradientNoiseScaleProbe.withDefaults();
        GradientNoiseScaleProbe reference = GradientNoiseScaleProbe.withDefaults();

        probe.sample(step(a), new Readings());
        Readings nan = new Readings();
        probe.sample(step(new NoisyGradientModel(Nd4j.create(poisoned))), nan);
        Readings after = new Readings();
        probe.sample(step(b), after);
        reference.sample(step(a), new Readings());
        Readings expected = new Readings();
        reference.sample(step(b), expected);

        assertTrue(Double.isNaN(value(nan, NOISE_TRACE, ALL, ALL)));
        assertTrue(Double.isNaN(value(nan, NOISE_SCALE_SMOOTHED, ALL, ALL)));
        assertTrue(Double.isNaN(value(nan, NOISE_SCALE_SMOOTHED, "0", "W")), "parameter 2 is in segment W");
        assertTrue(Double.isFinite(value(nan, NOISE_SCALE_SMOOTHED, "0", "b")), "segment b has no NaN");
        assertTrue(Double.isNaN(value(nan, BATCH_RATIO)));
        for (List<String> labels : List.of(List.of("0", "W"), List.of(ALL, ALL), List.<String>of())) {
            assertEquals(values(expected, labels), values(after, labels), "labels " + labels);
        }
        assertTrue(!values(expected, List.of("0", "b")).equals(values(after, List.of("0", "b"))),
                "segment b's averages include the step where only W was NaN");
    }

    private static List<Double> values(Readings readings, List<String> labels) {
        return readings.list().stream().filter(r -> r.labelValues().equals(labels)).map(Reading::value).toList();
    }

    @Test
    void perLayerOffWritesOnlyTheWholeModel() {
        Readings out = new Readings();
        GradientNoiseScaleProbe.builder().perLayer(false).build().sample(step(new NoiseProbeFixtures(6).batch(16)), out);
        Set<List<String>> labels = out.list().stream().map(Reading::labelValues).collect(Collectors.toSet());
        assertEquals(Set.of(List.of(ALL, ALL), List.of()), labels);
    }

    @Test
    void everyWrittenMetricIsDeclared() {
        GradientNoiseScaleProbe probe = GradientNoiseScaleProbe.withDefaults();
        Readings out = new Readings();
        probe.sample(step(new NoiseProbeFixtures(7).batch(16)), out);
        assertTrue(out.list().stream().allMatch(r -> probe.metrics().contains(r.metric())));
        assertEquals(probe.metrics().size(), out.list().stream().map(Reading::metric).distinct().count());
    }

    @Test
    void rejectsFewerThanTwoMicroBatches() {
        for (int k : new int[]{1, 0, -3}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GradientNoiseScaleProbe.builder().microBatches(k).build());
            assertTrue(e.getMessage().startsWith("microBatches = " + k + ": must be at least 2"), e.getMessage());
        }
    }

    @Test
    void rejectsDecayOutsideTheUnitInterval() {
        for (double d : new double[]{1.0, -0.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GradientNoiseScaleProbe.builder().emaDecay(d).build());
            assertTrue(e.getMessage().startsWith("emaDecay = " + d + ": must be in [0, 1)"), e.getMessage());
        }
    }
}
