package dev.sextant.validation;

import dev.sextant.probe.ProbedModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

/**
 * A gradient oracle with exactly known per-example gradients: row n of a fixed n×P table is
 * example n's gradient, and the loss over rows {@code [from, to)} is {@code L(w) = wᵀḡ} with ḡ
 * the mean of those rows, so its gradient is exactly ḡ at every w. With rows drawn as
 * {@code μ + A·z}, {@code z ~ N(0, I)}, the true gradient is μ and the per-example covariance is
 * {@code C = AAᵀ}: the gradient-noise estimators have closed-form targets
 * ({@code |G|² = ‖μ‖²}, {@code tr(Σ) = tr(C)}). Float64; parameters of any other type are
 * refused, as the DL4J adapter refuses them.
 */
public final class NoisyGradientModel implements ProbedModel {
    private final INDArray perExample;

    /** @param perExample per-example gradients, one row per example (n × P), cast to float64 */
    public NoisyGradientModel(INDArray perExample) {
        if (perExample.rank() != 2 || perExample.rows() < 1) {
            throw new IllegalArgumentException("perExample must be an n × P matrix with n >= 1, got shape "
                    + java.util.Arrays.toString(perExample.shape()));
        }
        this.perExample = perExample.castTo(DataType.DOUBLE);
    }

    /**
     * {@code rows} per-example gradients {@code μ + A·z}, z standard normal from {@code rng}.
     *
     * @param mean   μ, length P
     * @param factor A, P × m (the covariance is AAᵀ)
     */
    public static NoisyGradientModel gaussian(double[] mean, double[][] factor, int rows, Random rng) {
        int p = mean.length;
        int m = factor[0].length;
        double[][] g = new double[rows][p];
        double[] z = new double[m];
        for (int n = 0; n < rows; n++) {
            for (int c = 0; c < m; c++) {
                z[c] = rng.nextGaussian();
            }
            for (int j = 0; j < p; j++) {
                double v = mean[j];
                for (int c = 0; c < m; c++) {
                    v += factor[j][c] * z[c];
                }
                g[n][j] = v;
            }
        }
        return new NoisyGradientModel(Nd4j.create(g));
    }

    /** The per-example gradient table (n × P, float64). */
    public INDArray perExample() {
        return perExample;
    }

    @Override
    public int batchSize() {
        return perExample.rows();
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public double gradient(INDArray w, int from, int to, INDArray out) {
        INDArray mean = rowMean(w, from, to);
        out.assign(mean.reshape(out.shape()));
        return Nd4j.getBlasWrapper().dot(w.reshape(w.length()), mean);
    }

    @Override
    public double loss(INDArray w, int from, int to) {
        return Nd4j.getBlasWrapper().dot(w.reshape(w.length()), rowMean(w, from, to));
    }

    private INDArray rowMean(INDArray w, int from, int to) {
        if (w.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameters are " + w.dataType() + ", evaluations run in DOUBLE");
        }
        if (w.length() != perExample.columns()) {
            throw new IllegalArgumentException("parameters have " + w.length() + " elements, the oracle "
                    + perExample.columns());
        }
        if (from < 0 || to > batchSize() || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") outside the batch of " + batchSize());
        }
        return perExample.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).mean(0);
    }
}
