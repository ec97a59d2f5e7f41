package dev.sextant.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An explicit symmetric matrix as a {@link SymmetricOperator}, counting its applications. */
final class MatrixOperator implements SymmetricOperator {
    private final INDArray a;
    int applications;

    MatrixOperator(INDArray a) {
        this.a = a;
    }

    @Override
    public long dimension() {
        return a.rows();
    }

    @Override
    public DataType dataType() {
        return a.dataType();
    }

    @Override
    public void apply(INDArray v, INDArray out) {
        applications++;
        out.assign(a.mmul(v.reshape(a.rows(), 1)).reshape(out.shape()));
    }
}
