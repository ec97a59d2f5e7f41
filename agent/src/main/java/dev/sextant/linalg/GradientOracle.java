package dev.sextant.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss L and its gradient as functions of a flat parameter vector, on fixed data. The
 * curvature and noise estimators work against this, so they can be tested on closed-form
 * problems and run on a DL4J network alike.
 */
public interface GradientOracle {

    /** Number of parameters. */
    long dimension();

    /** Data type that parameter vectors and gradients must have. */
    DataType dataType();

    /** Writes ∇L(w) into {@code out} (same shape and type as {@code w}) and returns L(w). */
    double gradient(INDArray w, INDArray out);

    /** L(w). */
    double loss(INDArray w);
}
