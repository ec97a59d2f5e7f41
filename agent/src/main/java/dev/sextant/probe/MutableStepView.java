package dev.sextant.probe;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link StepView} whose fields the integration (or a test) sets before the probes run; one
 * instance is reused across steps. Probes see it only through the read-only interface.
 */
public class MutableStepView implements StepView {
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
    public OptimizerState optimizer = OptimizerState.sgd(Double.NaN, 1);
    public ProbedModel model;

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
