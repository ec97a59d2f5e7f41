package dev.sextant.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A quadratic bowl {@code ½ b‖w‖²} plus a ReLU-like term in the first coordinate that switches on
 * at {@code w₀ = c}:
 * <ul>
 *   <li>{@link Kind#CURVATURE_STEP}: {@code + ½ a·relu(w₀ − c)²} — the gradient is piecewise linear
 *       and continuous, the curvature along e₀ jumps from b to a + b;</li>
 *   <li>{@link Kind#GRADIENT_JUMP}: {@code + a·relu(w₀ − c)} — the gradient itself jumps by a, as a
 *       ReLU unit's weight gradient does when the unit flips.</li>
 * </ul>
 * For {@code w₀ < c} the Hessian is exactly {@code b·I}.
 */
final class KinkedOracle implements GradientOracle {
    enum Kind { CURVATURE_STEP, GRADIENT_JUMP }

    private final Kind kind;
    private final int d;
    private final double a;
    private final double b;
    private final double c;

    KinkedOracle(Kind kind, int d, double a, double b, double c) {
        this.kind = kind;
        this.d = d;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    @Override
    public long dimension() {
        return d;
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public double gradient(INDArray w, INDArray out) {
        out.assign(w).muli(b);
        double excess = w.getDouble(0) - c;
        if (excess > 0) {
            double extra = kind == Kind.CURVATURE_STEP ? a * excess : a;
            out.putScalar(0, out.getDouble(0) + extra);
        }
        return loss(w);
    }

    @Override
    public double loss(INDArray w) {
        double n = w.norm2Number().doubleValue();
        double excess = Math.max(0, w.getDouble(0) - c);
        return 0.5 * b * n * n + (kind == Kind.CURVATURE_STEP ? 0.5 * a * excess * excess : a * excess);
    }
}
