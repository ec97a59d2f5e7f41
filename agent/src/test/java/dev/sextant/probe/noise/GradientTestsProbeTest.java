package dev.sextant.probe.noise;

import dev.sextant.probe.Reading;
import dev.sextant.probe.Readings;
import dev.sextant.validation.NoisyGradientModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static dev.sextant.probe.noise.GradientTestsProbe.ALL;
import static dev.sextant.probe.noise.GradientTestsProbe.COSINE;
import static dev.sextant.probe.noise.GradientTestsProbe.INNER_PRODUCT_TEST;
import static dev.sextant.probe.noise.GradientTestsProbe.NORM_TEST;
import static dev.sextant.probe.noise.GradientTestsProbe.ORTHOGONALITY_TEST;
import static dev.sextant.probe.noise.GradientTestsProbe.SNR;
import static dev.sextant.probe.noise.GradientTestsProbe.SNR_EXCLUDED;
import static dev.sextant.probe.noise.NoiseProbeFixtures.P;
import static dev.sextant.probe.noise.NoiseProbeFixtures.step;
import static dev.sextant.probe.noise.NoiseProbeFixtures.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identities the gradient tests must satisfy, edge cases and configuration checks. Their values
 * against a direct computation are {@link NoiseValidationCasesTest}.
 */
class GradientTestsProbeTest {
    /** Float64 sums over 9 parameters and 4 micro-batches: a few ulps. */
    private static final double ROUNDING = 1e-12;

    /**
     * Each gᵢ − ḡ splits into a part along ḡ and a part orthogonal to it, so
     * norm test² = inner-product test² + orthogonality test² exactly (Pythagoras per micro-batch).
     */
    @Test
    void normTestSquaredIsInnerProductPlusOrthogonalitySquared() {
        Readings out = new Readings();
        GradientTestsProbe.withDefaults().sample(step(new NoiseProbeFixtures(11).batch(32)), out);
        double norm = value(out, NORM_TEST, ALL, ALL);
        double ip = value(out, INNER_PRODUCT_TEST);
        double orth = value(out, ORTHOGONALITY_TEST);
        assertEquals(norm * norm, ip * ip + orth * orth, norm * norm * ROUNDING);
    }

    /**
     * The norm test and the noise scale come from the same moments: with S the tr(Σ) estimate, |G|²
     * the signal estimate and B_big = k·b, norm test² = Q/(k(k−1)‖ḡ‖²) = S/(B_big·|G|² + S).
     */
    @Test
    void normTestAgreesWithTheNoiseScaleOnTheSameBatch() {
        NoisyGradientModel batch = new NoiseProbeFixtures(12).batch(34); // k = 4, b = 8, B_big = 32
        Readings tests = new Readings();
        GradientTestsProbe.withDefaults().sample(step(batch), tests);
        Readings scale = new Readings();
        GradientNoiseScaleProbe.withDefaults().sample(step(batch), scale);
        double s = value(scale, GradientNoiseScaleProbe.NOISE_TRACE, ALL, ALL);
        double g = value(scale, GradientNoiseScaleProbe.SIGNAL, ALL, ALL);
        double norm = value(tests, NORM_TEST, ALL, ALL);
        assertEquals(s / (32 * g + s), norm * norm, norm * norm * ROUNDING);
    }

    /** With k = 2 the mean pairwise cosine is the cosine of the two half-batch gradients. */
    @Test
    void cosineWithTwoMicroBatchesIsTheCosineOfTheHalves() {
        NoisyGradientModel batch = new NoiseProbeFixtures(13).batch(20);
        Readings out = new Readings();
        GradientTestsProbe.builder().microBatches(2).build().sample(step(batch), out);
        INDArray w = Nd4j.zeros(DataType.DOUBLE, 1, P);
        INDArray g1 = Nd4j.create(DataType.DOUBLE, 1, P);
        INDArray g2 = Nd4j.create(DataType.DOUBLE, 1, P);
        batch.gradient(w, 0, 10, g1);
        batch.gradient(w, 10, 20, g2);
        double expected = g1.mul(g2).sumNumber().doubleValue() / (g1.norm2Number().doubleValue() * g2.norm2Number().doubleValue());
        assertEquals(expected, value(out, COSINE), ROUNDING);
    }

    /**
     * Identical examples: no noise at all. The tests are 0 up to the rounding of the mean
     * (≤ 1e-12), every parameter is left out of the signal-to-noise ratio, whose mean is then NaN
     * (no parameter to average), not infinity.
     */
    @Test
    void noiseFreeBatchExcludesEveryParameterFromTheSnr() {
        double[] row = {0.3, -1.1, 0.7, 0.0, 2.5, 1e-3, -0.2, 0.9, 4.0};
        double[][] rows = new double[16][];
        java.util.Arrays.fill(rows, row);
        Readings out = new Readings();
        GradientTestsProbe.withDefaults().sample(step(new NoisyGradientModel(Nd4j.create(rows))), out);
        assertTrue(value(out, NORM_TEST, ALL, ALL) < 1e-12);
        assertEquals(P, value(out, SNR_EXCLUDED, ALL, ALL));
        assertEquals(3, value(out, SNR_EXCLUDED, "0", "b"));
        assertTrue(Double.isNaN(value(out, SNR, ALL, ALL)));
        assertTrue(Double.isNaN(value(out, SNR, "0", "W")));
    }

    /** A batch of 3 with k = 4: NaN for every metric, no exception. */
    @Test
    void batchSmallerThanKWritesNaN() {
        Readings out = new Readings();
        GradientTestsProbe.withDefaults().sample(step(new NoiseProbeFixtures(14).batch(3)), out);
        // norm test, SNR, excluded count × (2 segments + whole model) + 3 whole-model metrics
        assertEquals(3 * 3 + 3, out.list().size());
        assertTrue(out.list().stream().allMatch(r -> Double.isNaN(r.value())), out.list().toString());
    }

    @Test
    void everyWrittenMetricIsDeclared() {
        GradientTestsProbe probe = GradientTestsProbe.withDefaults();
        Readings out = new Readings();
        probe.sample(step(new NoiseProbeFixtures(15).batch(16)), out);
        assertTrue(out.list().stream().allMatch(r -> probe.metrics().contains(r.metric())));
        assertEquals(probe.metrics().size(), out.list().stream().map(Reading::metric).distinct().count());
    }

    @Test
    void rejectsFewerThanTwoMicroBatches() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientTestsProbe.builder().microBatches(1).build());
        assertTrue(e.getMessage().startsWith("microBatches = 1: must be at least 2"), e.getMessage());
    }
}
