package dev.sextant.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code u -> D A D u} for a symmetric operator A and a diagonal D given by its diagonal d: the
 * preconditioned Hessian {@code P^{-1/2} H P^{-1/2}} when {@code d = P^{-1/2}} (Cohen et al. 2022,
 * "Adaptive Gradient Methods at the Edge of Stability", arXiv 2207.14484, §3). Symmetric because A
 * is; one work array.
 */
public final class DiagonalScaledOperator implements SymmetricOperator {
    private final SymmetricOperator inner;
    private final INDArray d;
    private final INDArray work;

    /**
     * @param inner the operator A
     * @param d     the diagonal of D, {@code inner.dimension()} values of {@code inner.dataType()}; kept by reference
     */
    public DiagonalScaledOperator(SymmetricOperator inner, INDArray d) {
        if (d.length() != inner.dimension() || d.dataType() != inner.dataType()) {
            throw new IllegalArgumentException("diagonal has " + d.length() + " " + d.dataType()
                    + " values; the operator acts on " + inner.dimension() + " " + inner.dataType());
        }
        this.inner = inner;
        this.d = Vectors.flat(d);
        this.work = Nd4j.createUninitialized(inner.dataType(), inner.dimension());
    }

    @Override
    public long dimension() {
        return inner.dimension();
    }

    @Override
    public DataType dataType() {
        return inner.dataType();
    }

    @Override
    public void apply(INDArray u, INDArray out) {
        work.assign(Vectors.flat(u)).muli(d);
        inner.apply(work, out);
        Vectors.flat(out).muli(d);
    }
}
