package dev.sextant.probe;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A read-only view of one training step, as a probe sees it after the update was applied.
 * Arrays are views or reused buffers: probes must not modify them and must {@code dup()} what
 * they keep beyond the call.
 */
public interface StepView {

    /** DL4J iteration count of this step (0-based). */
    long step();

    /** DL4J epoch count. */
    int epoch();

    /** Examples in this step's mini-batch. */
    int batchSize();

    /** The mini-batch loss (DL4J's score) of this step. */
    double loss();

    /** Layout of the flat parameter vector. */
    ParamLayout layout();

    /** Parameters after this step's update (live view). */
    INDArray params();

    /** Parameters at the first step Sextant saw (the initialisation when attached before training). */
    INDArray initialParams();

    /** The update applied at this step: {@code w(t-1) - w(t)}. */
    INDArray update();

    /** The update applied at the previous step, or {@code null} when it was not captured. */
    INDArray previousUpdate();

    /**
     * The raw mini-batch gradient (mean over the batch, before the updater and regularisation),
     * or {@code null} when no due probe declared {@link Need#RAW_GRADIENT}.
     */
    INDArray rawGradient();

    /** The optimizer's kind, learning rate and state. */
    OptimizerState optimizer();

    /** Extra gradient evaluations on the current batch. */
    ProbedModel model();
}
