package dev.sextant.probe;

import dev.sextant.linalg.GradientOracle;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The loss on rows {@code [from, to)} of the current batch, as a {@link GradientOracle}. */
public final class BatchOracle implements GradientOracle {
    private final ProbedModel model;
    private final int from;
    private final int to;
    private final long dimension;

    public BatchOracle(ProbedModel model, long dimension, int from, int to) {
        if (from < 0 || to > model.batchSize() || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") outside the batch of " + model.batchSize());
        }
        this.model = model;
        this.dimension = dimension;
        this.from = from;
        this.to = to;
    }

    /** The whole current batch. */
    public static BatchOracle wholeBatch(StepView step) {
        return new BatchOracle(step.model(), step.layout().size(), 0, step.model().batchSize());
    }

    /** The first {@code rows} examples of the current batch (all of it when smaller). */
    public static BatchOracle firstRows(StepView step, int rows) {
        return new BatchOracle(step.model(), step.layout().size(), 0, Math.min(rows, step.model().batchSize()));
    }

    /** Number of examples the loss averages over. */
    public int rows() {
        return to - from;
    }

    @Override
    public long dimension() {
        return dimension;
    }

    @Override
    public DataType dataType() {
        return model.dataType();
    }

    @Override
    public double gradient(INDArray w, INDArray out) {
        return model.gradient(w, from, to, out);
    }

    @Override
    public double loss(INDArray w) {
        return model.loss(w, from, to);
    }
}
