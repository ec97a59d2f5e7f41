package dev.sextant.validation;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Readings;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The gradient noise scale on a gradient oracle with known statistics ({@link NoisyGradientModel}):
 * per-example gradients {@code μ + A·z} over P = 24 parameters (segments {@code 0/W}, 16, and
 * {@code 0/b}, 8, with A's {@code b} rows halved so the two segments differ), so
 * {@code tr(Σ) = tr(AAᵀ)}, {@code |G|² = ‖μ‖²}, and μ is scaled to make
 * {@code B_simple = tr(Σ)/|G|² = 16}. Each of 640 samples draws a fresh batch of 64 examples and
 * runs {@link GradientNoiseScaleProbe} (k = 4 micro-batches of 16) on it; the probe's own
 * bias-corrected moving averages, with decay 0.999 so that they weight the 640 samples almost
 * evenly (619 effective samples), are compared with the exact values.
 *
 * <p><b>Why 10%.</b> The estimators are unbiased, so the error is sampling error only. For
 * Gaussian noise (Q = Σᵢ‖gᵢ − ḡ‖² is a sum of scaled χ²_{k−1}, independent of ḡ):
 * {@code Var[tr Σ est] = 2tr(C²)/(k−1)},
 * {@code Var[|G|² est] = 4μᵀCμ/B + 2k·tr(C²)/((k−1)B²)},
 * {@code Cov = −2tr(C²)/((k−1)B)}, and the ratio's relative variance follows by the delta method;
 * all are divided by the moving average's effective sample count
 * {@code (Σw)²/Σw²} with {@code w_n = β^{N−n}}. {@link #relativeStandardErrors()} computes these
 * for the drawn A and μ: 0.9% to 2.3% (the last for segment {@code 0/W}, whose noise scale is 27),
 * so 10% is at least 4.4 standard errors. These variance formulas agree with the empirical
 * variances of 4,000 raw samples of the probe to within their sampling error (~2%).
 */
public final class NoiseScaleCase implements ValidationCase {
    static final long SEED = 20181215L;
    static final int WEIGHTS = 16;
    static final int BIASES = 8;
    static final int BATCH = 64;
    static final int MICRO_BATCHES = 4;
    static final int SAMPLES = 640;
    static final double DESIGNED_NOISE_SCALE = 16;
    static final double EMA_DECAY = 0.999;
    static final double TOLERANCE = 0.10;

    private final ParamLayout layout = new ParamLayout(List.of(
            new ParamSegment("0", "W", 0, WEIGHTS), new ParamSegment("0", "b", WEIGHTS, BIASES)));
    private final double[][] factor;
    private final double[] mean;
    private final double[][] covariance;

    public NoiseScaleCase() {
        Random rng = new Random(SEED);
        int p = WEIGHTS + BIASES;
        factor = new double[p][p];
        for (int i = 0; i < p; i++) {
            double scale = (i < WEIGHTS ? 1.0 : 0.5) / Math.sqrt(p);
            for (int c = 0; c < p; c++) {
                factor[i][c] = scale * rng.nextGaussian();
            }
        }
        covariance = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double s = 0;
                for (int c = 0; c < p; c++) {
                    s += factor[i][c] * factor[j][c];
                }
                covariance[i][j] = s;
            }
        }
        double[] direction = new double[p];
        double norm2 = 0;
        for (int i = 0; i < p; i++) {
            direction[i] = rng.nextGaussian();
            norm2 += direction[i] * direction[i];
        }
        double trace = 0;
        for (int i = 0; i < p; i++) {
            trace += covariance[i][i];
        }
        double scale = Math.sqrt(trace / DESIGNED_NOISE_SCALE / norm2);
        mean = new double[p];
        for (int i = 0; i < p; i++) {
            mean[i] = scale * direction[i];
        }
    }

    @Override
    public String name() {
        return "gradient oracle, per-example gradients mu + A z, B_simple = tr(AA^T)/|mu|^2 = 16, "
                + SAMPLES + " batches of " + BATCH + ", k = " + MICRO_BATCHES;
    }

    @Override
    public List<ValidationResult> run() {
        GradientNoiseScaleProbe probe = GradientNoiseScaleProbe.builder()
                .microBatches(MICRO_BATCHES).emaDecay(EMA_DECAY).build();
        Random rng = new Random(SEED + 1);
        Readings last = null;
        for (int n = 0; n < SAMPLES; n++) {
            NoisyGradientModel batch = NoisyGradientModel.gaussian(mean, factor, BATCH, rng);
            last = new Readings();
            probe.sample(CaseSteps.noise(n, layout, batch), last);
        }
        Block all = block(0, WEIGHTS + BIASES);
        Block w = block(0, WEIGHTS);
        Block b = block(WEIGHTS, WEIGHTS + BIASES);
        List<Double> se = relativeStandardErrors();
        String whole = GradientNoiseScaleProbe.ALL;
        List<ValidationResult> results = new ArrayList<>();
        results.add(result("tr(Sigma), whole model (moving average)", all.trace,
                value(last, GradientNoiseScaleProbe.NOISE_TRACE_SMOOTHED, whole, whole), se.get(0)));
        results.add(result("|G|^2, whole model (moving average)", all.meanSquaredNorm,
                value(last, GradientNoiseScaleProbe.SIGNAL_SMOOTHED, whole, whole), se.get(1)));
        results.add(result("B_simple, whole model (ratio of moving averages)", all.noiseScale(),
                value(last, GradientNoiseScaleProbe.NOISE_SCALE_SMOOTHED, whole, whole), se.get(2)));
        results.add(result("B_simple, layer 0 W (ratio of moving averages)", w.noiseScale(),
                value(last, GradientNoiseScaleProbe.NOISE_SCALE_SMOOTHED, "0", "W"), se.get(3)));
        results.add(result("B_simple, layer 0 b (ratio of moving averages)", b.noiseScale(),
                value(last, GradientNoiseScaleProbe.NOISE_SCALE_SMOOTHED, "0", "b"), se.get(4)));
        return results;
    }

    /**
     * The relative standard error of each result's estimate, in the order of {@link #run()}, from
     * the Gaussian-noise variances in the class comment and the moving average's effective sample
     * count.
     */
    public List<Double> relativeStandardErrors() {
        double samples = effectiveSamples();
        Block all = block(0, WEIGHTS + BIASES);
        return List.of(
                Math.sqrt(all.traceVariance() / samples) / all.trace,
                Math.sqrt(all.signalVariance() / samples) / all.meanSquaredNorm,
                Math.sqrt(all.ratioRelativeVariance() / samples),
                Math.sqrt(block(0, WEIGHTS).ratioRelativeVariance() / samples),
                Math.sqrt(block(WEIGHTS, WEIGHTS + BIASES).ratioRelativeVariance() / samples));
    }

    /** (Σw)²/Σw² for the bias-corrected average's weights w_n = β^{N−n}, n = 1..N. */
    static double effectiveSamples() {
        double sum = (1 - Math.pow(EMA_DECAY, SAMPLES)) / (1 - EMA_DECAY);
        double sumSquares = (1 - Math.pow(EMA_DECAY, 2 * SAMPLES)) / (1 - EMA_DECAY * EMA_DECAY);
        return sum * sum / sumSquares;
    }

    private ValidationResult result(String quantity, double exact, double estimate, double relativeError) {
        String why = String.format(java.util.Locale.ROOT, "unbiased estimators averaged over %d batches (EMA decay %.3f,"
                        + " %.0f effective samples): Gaussian-noise standard error %.1f%%, so %.0f%% is %.1f"
                        + " standard errors", SAMPLES, EMA_DECAY, effectiveSamples(), 100 * relativeError,
                100 * TOLERANCE, TOLERANCE / relativeError);
        return new ValidationResult(quantity, exact, estimate, TOLERANCE, why);
    }

    private static double value(Readings readings, MetricSpec metric, String... labels) {
        for (Reading r : readings.list()) {
            if (r.metric().equals(metric) && r.labelValues().equals(List.of(labels))) {
                return r.value();
            }
        }
        throw new IllegalStateException("the probe wrote no " + metric.name() + List.of(labels));
    }

    /** The exact statistics of parameters [from, to). */
    private Block block(int from, int to) {
        double trace = 0;
        double traceOfSquare = 0;
        double quadratic = 0;
        double squaredNorm = 0;
        for (int i = from; i < to; i++) {
            trace += covariance[i][i];
            squaredNorm += mean[i] * mean[i];
            for (int j = from; j < to; j++) {
                traceOfSquare += covariance[i][j] * covariance[j][i];
                quadratic += mean[i] * covariance[i][j] * mean[j];
            }
        }
        return new Block(trace, traceOfSquare, quadratic, squaredNorm);
    }

    /**
     * Exact statistics of a block of parameters: tr(C), tr(C²), μᵀCμ, ‖μ‖², and the variances of one
     * sample of the estimators for B = {@value #BATCH}, k = {@value #MICRO_BATCHES}.
     */
    private record Block(double trace, double traceOfSquare, double meanQuadratic, double meanSquaredNorm) {
        double noiseScale() {
            return trace / meanSquaredNorm;
        }

        double traceVariance() {
            return 2 * traceOfSquare / (MICRO_BATCHES - 1);
        }

        double signalVariance() {
            return 4 * meanQuadratic / BATCH
                    + 2.0 * MICRO_BATCHES * traceOfSquare / ((MICRO_BATCHES - 1) * (double) BATCH * BATCH);
        }

        double covariance() {
            return -2 * traceOfSquare / ((MICRO_BATCHES - 1) * (double) BATCH);
        }

        double ratioRelativeVariance() {
            return traceVariance() / (trace * trace) + signalVariance() / (meanSquaredNorm * meanSquaredNorm)
                    - 2 * covariance() / (trace * meanSquaredNorm);
        }
    }
}
