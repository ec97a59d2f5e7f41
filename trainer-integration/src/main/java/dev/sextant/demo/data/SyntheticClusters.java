package dev.sextant.demo.data;

import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * A learnable stand-in for Fashion-MNIST when its files are absent: 10 Gaussian clusters in 784
 * dimensions (so the MLP and the 28×28 CNN take it unchanged).
 *
 * <p>Class {@code c} has centre {@code 0.5 + μ_c}, {@code μ_c ~ N(0, s²·I)} with
 * {@code s = 0.05}; an example is its centre plus {@code N(0, σ²·I)} noise with {@code σ = 0.25},
 * classes equally likely. Two centres are {@code ≈ s·√(2·784) ≈ 2.0} apart, about 8σ, so the
 * Bayes classifier is nearly error-free, but the class signal per pixel (0.05) is a fifth of the
 * noise: the MLP needs a few hundred steps of batch 64 with Adam to reach 99%, while its loss
 * falls clearly within the first 30. Values are not clipped (they spread around 0.5 like pixels
 * in [0, 1]).
 *
 * <p>Everything comes from one {@link java.util.Random} seeded by the caller: the centres from the
 * seed, the examples from the seed and the split, so train and test share centres and differ in
 * examples.
 */
public final class SyntheticClusters {
    public static final int INPUTS = FashionMnist.PIXELS;
    public static final int CLASSES = FashionMnist.CLASSES;
    static final double CENTRE_SPREAD = 0.05;
    static final double NOISE = 0.25;

    private final long seed;
    private final float[][] centres;

    public SyntheticClusters(long seed) {
        this.seed = seed;
        Random r = new Random(seed);
        centres = new float[CLASSES][INPUTS];
        for (float[] c : centres) {
            for (int j = 0; j < INPUTS; j++) {
                c[j] = (float) (0.5 + CENTRE_SPREAD * r.nextGaussian());
            }
        }
    }

    /** {@code n} examples of split {@code split} (0 = train, 1 = test, ...), reproducible from the seed. */
    public LabelledData sample(String name, int n, int split) {
        Random r = new Random(seed * 1_000_003L + 31L * (split + 1));
        float[] x = new float[n * INPUTS];
        float[] y = new float[n * CLASSES];
        // Data generation, once, at start-up; training never loops over elements.
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(CLASSES);
            y[i * CLASSES + c] = 1f;
            float[] centre = centres[c];
            for (int j = 0; j < INPUTS; j++) {
                x[i * INPUTS + j] = (float) (centre[j] + NOISE * r.nextGaussian());
            }
        }
        return new LabelledData(name, Nd4j.create(x, new long[] {n, INPUTS}, 'c'),
                Nd4j.create(y, new long[] {n, CLASSES}, 'c'));
    }
}
