package dev.sextant.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A smooth non-quadratic loss with a closed-form Hessian: logistic regression,
 * {@code L(w) = (1/n) Σ_i [log(1 + e^{z_i}) − t_i z_i]}, {@code z = Xw}; gradient
 * {@code (1/n) Xᵀ(σ(z) − t)}, Hessian {@code (1/n) Xᵀ diag(σ(z)(1 − σ(z))) X}. Its third derivative
 * is non-zero, so finite differences show their truncation error.
 */
final class LogisticRegressionOracle implements GradientOracle {
    final INDArray x;
    final INDArray t;

    LogisticRegressionOracle(int n, int d, long seed) {
        Nd4j.getRandom().setSeed(seed);
        this.x = Nd4j.randn(DataType.DOUBLE, n, d);
        this.t = Nd4j.rand(DataType.DOUBLE, n, 1).gt(0.5).castTo(DataType.DOUBLE);
    }

    @Override
    public long dimension() {
        return x.columns();
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public double gradient(INDArray w, INDArray out) {
        INDArray z = x.mmul(w.reshape(x.columns(), 1));
        INDArray g = x.transpose().mmul(Transforms.sigmoid(z, true).subi(t)).divi(x.rows());
        out.assign(g.reshape(out.shape()));
        return loss(w);
    }

    @Override
    public double loss(INDArray w) {
        INDArray z = x.mmul(w.reshape(x.columns(), 1));
        return Transforms.log(Transforms.exp(z, true).addi(1), false).subi(z.mul(t)).meanNumber().doubleValue();
    }

    /** The exact Hessian at w. */
    INDArray hessian(INDArray w) {
        INDArray s = Transforms.sigmoid(x.mmul(w.reshape(x.columns(), 1)), true);
        INDArray weights = s.mul(s.rsub(1.0));
        return x.transpose().mmul(x.mulColumnVector(weights)).divi(x.rows());
    }
}
