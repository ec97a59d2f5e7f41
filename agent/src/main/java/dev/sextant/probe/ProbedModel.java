package dev.sextant.probe;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Extra gradient and loss evaluations for probes, on the current training batch, at any
 * parameter vector, without disturbing the training: implementations evaluate on a copy of the
 * network (by default in float64) and restore anything shared (the ND4J random state).
 *
 * <p>Rows {@code [from, to)} select a slice of the current batch, so micro-batches are cheap.
 * Results are means over the selected rows, the same normalisation as DL4J's score.
 */
public interface ProbedModel {

    /** Number of examples in the current batch. */
    int batchSize();

    /** Data type of the evaluation copy; parameter vectors passed in must have it. */
    DataType dataType();

    /**
     * Writes the mean gradient of the loss over rows {@code [from, to)} at parameters {@code w}
     * into {@code out} (same length and data type as {@code w}) and returns the mean loss.
     */
    double gradient(INDArray w, int from, int to, INDArray out);

    /** Mean loss over rows {@code [from, to)} at parameters {@code w}. */
    double loss(INDArray w, int from, int to);
}
