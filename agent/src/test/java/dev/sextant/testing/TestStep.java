package dev.sextant.testing;

import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.ProbedModel;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** A hand-built {@link StepView} for probe tests; set the fields a test needs, the rest stay null/NaN. */
public final class TestStep implements StepView {
    public long step;
    public int epoch;
    public int batchSize = 1;
    public double loss = Double.NaN;
    public ParamLayout layout;
    public INDArray params;
    public INDArray initialParams;
    public INDArray update;
    public INDArray previousUpdate;
    public INDArray rawGradient;
    public OptimizerState optimizer = OptimizerState.sgd(0.1, 1);
    public ProbedModel model;

    /** A step whose parameters form one segment (layer "0", param "W"). */
    public static TestStep single(INDArray params) {
        TestStep s = new TestStep();
        s.params = params;
        s.initialParams = params.dup();
        s.update = params.mul(0);
        s.layout = new ParamLayout(List.of(new ParamSegment("0", "W", 0, params.length())));
        return s;
    }

    @Override public long step() { return step; }
    @Override public int epoch() { return epoch; }
    @Override public int batchSize() { return batchSize; }
    @Override public double loss() { return loss; }
    @Override public ParamLayout layout() { return layout; }
    @Override public INDArray params() { return params; }
    @Override public INDArray initialParams() { return initialParams; }
    @Override public INDArray update() { return update; }
    @Override public INDArray previousUpdate() { return previousUpdate; }
    @Override public INDArray rawGradient() { return rawGradient; }
    @Override public OptimizerState optimizer() { return optimizer; }
    @Override public ProbedModel model() { return model; }
}
