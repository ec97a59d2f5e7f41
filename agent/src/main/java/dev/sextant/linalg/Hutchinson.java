package dev.sextant.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

/**
 * The trace of a symmetric operator by Hutchinson's estimator: {@code tr(A) ≈ (1/m) Σ_i v_iᵀ A v_i}
 * with independent Rademacher vectors v_i (Hutchinson 1990, "A stochastic estimator of the trace
 * of the influence matrix for Laplacian smoothing splines"; Avron &amp; Toledo 2011 for its
 * variance, {@code 2(‖A‖_F² − Σ_j A_jj²)} per sample). The standard error is the sample standard
 * deviation of the m values {@code v_iᵀAv_i} over √m.
 *
 * <p>The i-th vector is drawn on the device from a seed taken from a {@code java.util.Random}
 * seeded at construction: the sequence of estimates is reproducible, and successive calls use
 * fresh vectors. Two parameter-sized work arrays, reused while the dimension and type stay the same.
 */
public final class Hutchinson {
    private final int samples;
    private final Random seeds;
    private final RandomVectors random = new RandomVectors();
    private INDArray v;
    private INDArray av;

    /**
     * One estimate.
     *
     * @param mean          the trace estimate (1/m) Σ v_iᵀAv_i
     * @param standardError sample standard deviation of the v_iᵀAv_i over √m (NaN for m = 1)
     * @param samples       m
     */
    public record TraceEstimate(double mean, double standardError, int samples) {
    }

    /**
     * @param samples number m of Rademacher vectors per estimate, in [1, 100000]
     * @param seed    seed of the vector sequence
     */
    public Hutchinson(int samples, long seed) {
        this.samples = Bounds.inRange("samples", samples, 1, 100_000);
        this.seeds = new Random(seed);
    }

    /** Estimates tr(A) with m operator applications. */
    public TraceEstimate estimate(SymmetricOperator op) {
        if (v == null || v.length() != op.dimension() || v.dataType() != op.dataType()) {
            v = Nd4j.create(op.dataType(), op.dimension());
            av = Nd4j.create(op.dataType(), op.dimension());
        }
        double[] quadratic = new double[samples];
        for (int i = 0; i < samples; i++) {
            random.rademacher(v, seeds.nextLong());
            op.apply(v, av);
            quadratic[i] = Vectors.dot(v, av);
        }
        double mean = Arrays.stream(quadratic).average().orElse(Double.NaN);
        double squares = 0;
        for (double q : quadratic) {
            squares += (q - mean) * (q - mean);
        }
        double standardError = samples > 1 ? Math.sqrt(squares / (samples - 1) / samples) : Double.NaN;
        return new TraceEstimate(mean, standardError, samples);
    }
}
