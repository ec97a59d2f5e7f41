package dev.sextant.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A symmetric linear map {@code v -> A v} on flat vectors, known only through its action: a
 * Hessian-vector product, a preconditioned Hessian, or an explicit matrix in a test.
 */
public interface SymmetricOperator {

    /** Length of the vectors the operator acts on. */
    long dimension();

    /** Data type of the vectors the operator acts on. */
    DataType dataType();

    /**
     * Writes {@code A v} into {@code out}. Both have {@link #dimension()} elements and
     * {@link #dataType()}; {@code v} is not modified, and must not be the same array as {@code out}.
     */
    void apply(INDArray v, INDArray out);
}
