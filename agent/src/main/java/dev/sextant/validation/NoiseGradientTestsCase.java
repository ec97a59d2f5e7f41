package dev.sextant.validation;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Readings;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;
import dev.sextant.probe.noise.GradientTestsProbe;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The batch-size tests, signal-to-noise ratio, pairwise cosine and the raw noise-scale estimates of
 * one batch, against a direct computation on the same micro-batches. One fixed batch of 50
 * per-example gradients over P = 24 parameters (segments {@code 0/W}, 16, and {@code 0/b}, 8), of
 * which two carry no noise: parameter 20 is 0 in every example (a dead unit) and parameter 21 is
 * the same non-zero value in every example. With k = 4 the micro-batches are rows [0,12), [12,24),
 * [24,36), [36,48); rows 48 and 49 are left out.
 *
 * <p>The reference is a deliberately literal transcription of each formula with host loops over
 * this small table: micro-batch means, then the norm, inner-product and orthogonality tests as
 * written in their papers, ḡⱼ²/Var per parameter over the parameters whose per-example values are
 * not all equal, the pairwise cosines, and McCandlish et al.'s A.1 estimators in their original
 * form ({@code B_small = 12} with ‖G_small‖² averaged over the micro-batches, {@code B_big = 48}).
 * Both sides are deterministic functions of the same numbers in float64; they differ only in the
 * order of summation and in the probes' algebraic rewriting (centred deviations), which moves
 * results by ~1e-15 relative. The tolerance 1e-9 leaves room for other BLAS reduction orders and
 * still catches any error in a formula (a wrong factor is ≥ 1e-2).
 */
public final class NoiseGradientTestsCase implements ValidationCase {
    static final long SEED = 20120601L;
    static final int WEIGHTS = 16;
    static final int BIASES = 8;
    static final int BATCH = 50;
    static final int MICRO_BATCHES = 4;
    static final int DEAD = 20;
    static final int CONSTANT = 21;
    static final double TOLERANCE = 1e-9;
    static final String WHY = "deterministic: a direct float64 computation on the same micro-batches; only summation"
            + " order and the centred rewriting differ (~1e-15)";

    private final ParamLayout layout = new ParamLayout(List.of(
            new ParamSegment("0", "W", 0, WEIGHTS), new ParamSegment("0", "b", WEIGHTS, BIASES)));
    private final double[][] perExample;

    public NoiseGradientTestsCase() {
        Random rng = new Random(SEED);
        int p = WEIGHTS + BIASES;
        double[][] factor = new double[p][p];
        double[] mean = new double[p];
        for (int i = 0; i < p; i++) {
            for (int c = 0; c < p; c++) {
                factor[i][c] = (i == DEAD || i == CONSTANT) ? 0 : rng.nextGaussian() / Math.sqrt(p);
            }
            mean[i] = i == DEAD ? 0 : i == CONSTANT ? 0.3 : 0.25 * rng.nextGaussian();
        }
        perExample = NoisyGradientModel.gaussian(mean, factor, BATCH, rng).perExample().toDoubleMatrix();
    }

    @Override
    public String name() {
        return "gradient tests on one batch of 50 per-example gradients (2 noise-free parameters), k = 4,"
                + " against a direct computation";
    }

    @Override
    public List<ValidationResult> run() {
        NoisyGradientModel model = new NoisyGradientModel(Nd4j.create(perExample));
        Readings tests = new Readings();
        GradientTestsProbe.builder().microBatches(MICRO_BATCHES).build()
                .sample(CaseSteps.noise(0, layout, model), tests);
        Readings scale = new Readings();
        GradientNoiseScaleProbe.builder().microBatches(MICRO_BATCHES).build()
                .sample(CaseSteps.noise(0, layout, model), scale);

        Reference all = new Reference(0, WEIGHTS + BIASES);
        Reference w = new Reference(0, WEIGHTS);
        Reference b = new Reference(WEIGHTS, WEIGHTS + BIASES);
        String whole = GradientTestsProbe.ALL;
        List<ValidationResult> r = new ArrayList<>();
        r.add(check("norm test, whole model", all.normTest(), tests, GradientTestsProbe.NORM_TEST, whole, whole));
        r.add(check("norm test, layer 0 W", w.normTest(), tests, GradientTestsProbe.NORM_TEST, "0", "W"));
        r.add(check("norm test, layer 0 b", b.normTest(), tests, GradientTestsProbe.NORM_TEST, "0", "b"));
        r.add(check("inner-product test", all.innerProductTest(), tests, GradientTestsProbe.INNER_PRODUCT_TEST));
        r.add(check("orthogonality test", all.orthogonalityTest(), tests, GradientTestsProbe.ORTHOGONALITY_TEST));
        r.add(check("mean gradient SNR, whole model", all.meanSnr(), tests, GradientTestsProbe.SNR, whole, whole));
        r.add(check("mean gradient SNR, layer 0 W", w.meanSnr(), tests, GradientTestsProbe.SNR, "0", "W"));
        r.add(check("mean gradient SNR, layer 0 b", b.meanSnr(), tests, GradientTestsProbe.SNR, "0", "b"));
        r.add(check("noise-free parameters left out of the SNR, layer 0 b", b.noiseFree(), tests,
                GradientTestsProbe.SNR_EXCLUDED, "0", "b"));
        r.add(check("mean pairwise cosine of micro-batch gradients", all.meanCosine(), tests,
                GradientTestsProbe.COSINE));
        r.add(check("tr(Sigma) estimate of one batch (A.1)", all.traceEstimate(), scale,
                GradientNoiseScaleProbe.NOISE_TRACE, whole, whole));
        r.add(check("|G|^2 estimate of one batch (A.1)", all.signalEstimate(), scale,
                GradientNoiseScaleProbe.SIGNAL, whole, whole));
        r.add(check("tr(Sigma) estimate of one batch (A.1), layer 0 b", b.traceEstimate(), scale,
                GradientNoiseScaleProbe.NOISE_TRACE, "0", "b"));
        return r;
    }

    private static ValidationResult check(String quantity, double exact, Readings readings, MetricSpec metric,
                                          String... labels) {
        for (Reading reading : readings.list()) {
            if (reading.metric().equals(metric) && reading.labelValues().equals(List.of(labels))) {
                return new ValidationResult(quantity, exact, reading.value(), TOLERANCE, WHY);
            }
        }
        throw new IllegalStateException("the probe wrote no " + metric.name() + List.of(labels));
    }

    /** The direct computation over parameters [from, to) of the micro-batches of the fixed batch. */
    private final class Reference {
        final int k = MICRO_BATCHES;
        final int b = BATCH / MICRO_BATCHES;
        final double[][] g;
        final double[] mean;
        final boolean[] noiseFree;

        Reference(int from, int to) {
            int p = to - from;
            g = new double[k][p];
            for (int i = 0; i < k; i++) {
                for (int n = i * b; n < (i + 1) * b; n++) {
                    for (int j = 0; j < p; j++) {
                        g[i][j] += perExample[n][from + j] / b;
                    }
                }
            }
            mean = new double[p];
            for (double[] gi : g) {
                for (int j = 0; j < p; j++) {
                    mean[j] += gi[j] / k;
                }
            }
            noiseFree = new boolean[p];
            for (int j = 0; j < p; j++) {
                noiseFree[j] = true;
                for (int n = 0; n < k * b; n++) {
                    noiseFree[j] &= perExample[n][from + j] == perExample[0][from + j];
                }
            }
        }

        double normTest() {
            double s = 0;
            for (double[] gi : g) {
                s += dot(minus(gi, mean), minus(gi, mean));
            }
            return Math.sqrt(s / (k * (k - 1) * dot(mean, mean)));
        }

        double innerProductTest() {
            double m2 = dot(mean, mean);
            double s = 0;
            for (double[] gi : g) {
                double d = dot(gi, mean) - m2;
                s += d * d;
            }
            return Math.sqrt(s / (k * (k - 1) * m2 * m2));
        }

        double orthogonalityTest() {
            double m2 = dot(mean, mean);
            double s = 0;
            for (double[] gi : g) {
                double c = dot(gi, mean) / m2;
                double[] orthogonal = new double[gi.length];
                for (int j = 0; j < gi.length; j++) {
                    orthogonal[j] = gi[j] - c * mean[j];
                }
                s += dot(orthogonal, orthogonal);
            }
            return Math.sqrt(s / (k * (k - 1) * m2));
        }

        double meanSnr() {
            double sum = 0;
            int counted = 0;
            for (int j = 0; j < mean.length; j++) {
                if (noiseFree[j]) {
                    continue;
                }
                double var = 0;
                for (double[] gi : g) {
                    var += (gi[j] - mean[j]) * (gi[j] - mean[j]) / (k - 1);
                }
                sum += mean[j] * mean[j] / var;
                counted++;
            }
            return sum / counted;
        }

        double noiseFree() {
            int n = 0;
            for (boolean f : noiseFree) {
                n += f ? 1 : 0;
            }
            return n;
        }

        double meanCosine() {
            double sum = 0;
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    sum += dot(g[i], g[j]) / Math.sqrt(dot(g[i], g[i]) * dot(g[j], g[j]));
                }
            }
            return sum / (k * (k - 1) / 2.0);
        }

        /** A.1: (‖G_small‖² − ‖G_big‖²)/(1/B_small − 1/B_big), ‖G_small‖² averaged over micro-batches. */
        double traceEstimate() {
            double bigBatch = k * b;
            return (smallSquaredNorm() - dot(mean, mean)) / (1.0 / b - 1.0 / bigBatch);
        }

        /** A.1: (B_big‖G_big‖² − B_small‖G_small‖²)/(B_big − B_small). */
        double signalEstimate() {
            double bigBatch = k * b;
            return (bigBatch * dot(mean, mean) - b * smallSquaredNorm()) / (bigBatch - b);
        }

        private double smallSquaredNorm() {
            double s = 0;
            for (double[] gi : g) {
                s += dot(gi, gi) / k;
            }
            return s;
        }
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static double[] minus(double[] x, double[] y) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
        }
        return d;
    }
}
