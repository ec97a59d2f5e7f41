package dev.sextant.validation;

import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ProbedModel;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The step a gradient-noise probe sees in the validation cases: float32 parameters at 0 (as DL4J
 * trains; the probes must cast them to the oracle's float64), no update, and the oracle's batch.
 */
final class NoiseOracleStep implements StepView {
    private final long step;
    private final ParamLayout layout;
    private final INDArray params;
    private final INDArray update;
    private final ProbedModel model;

    NoiseOracleStep(long step, ParamLayout layout, ProbedModel model) {
        this.step = step;
        this.layout = layout;
        this.params = Nd4j.zeros(DataType.FLOAT, 1, layout.size());
        this.update = Nd4j.zeros(DataType.FLOAT, 1, layout.size());
        this.model = model;
    }

    @Override public long step() { return step; }
    @Override public int epoch() { return 0; }
    @Override public int batchSize() { return model.batchSize(); }
    @Override public double loss() { return Double.NaN; }
    @Override public ParamLayout layout() { return layout; }
    @Override public INDArray params() { return params; }
    @Override public INDArray initialParams() { return params; }
    @Override public INDArray update() { return update; }
    @Override public INDArray previousUpdate() { return null; }
    @Override public INDArray rawGradient() { return null; }
    @Override public OptimizerState optimizer() { return OptimizerState.sgd(0.1, step + 1); }
    @Override public ProbedModel model() { return model; }
}
