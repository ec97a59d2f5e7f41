package dev.sextant.validation;

import dev.sextant.probe.ProbedModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Linear least squares in closed form, a {@link ProbedModel} with an exactly known Hessian:
 * {@code L(w) = (1/n) Σ_i (x_iᵀw − y_i)²} over rows {@code [from, to)}, gradient
 * {@code (2/n) Xᵀ(Xw − y)}, Hessian {@code (2/n) XᵀX} (constant in w). Float64 throughout.
 */
public final class LeastSquaresModel implements ProbedModel {
    private final INDArray x;
    private final INDArray y;

    /**
     * @param x design matrix, n × d, float64
     * @param y targets, length n, float64
     */
    public LeastSquaresModel(INDArray x, INDArray y) {
        this.x = x.castTo(DataType.DOUBLE);
        this.y = y.castTo(DataType.DOUBLE).reshape(x.rows(), 1);
    }

    public INDArray x() {
        return x;
    }

    /** The exact Hessian of the loss over rows {@code [from, to)}: (2/n) XᵀX. */
    public INDArray hessian(int from, int to) {
        INDArray xs = rows(x, from, to);
        return xs.transpose().mmul(xs).muli(2.0 / (to - from));
    }

    @Override
    public int batchSize() {
        return (int) x.rows();
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public double gradient(INDArray w, int from, int to, INDArray out) {
        INDArray xs = rows(x, from, to);
        INDArray r = xs.mmul(w.reshape(x.columns(), 1)).subi(rows(y, from, to));
        INDArray g = xs.transpose().mmul(r).muli(2.0 / (to - from));
        out.assign(g.reshape(out.shape()));
        return r.norm2Number().doubleValue() * r.norm2Number().doubleValue() / (to - from);
    }

    @Override
    public double loss(INDArray w, int from, int to) {
        INDArray r = rows(x, from, to).mmul(w.reshape(x.columns(), 1)).subi(rows(y, from, to));
        double n = r.norm2Number().doubleValue();
        return n * n / (to - from);
    }

    private static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
}
