package dev.sextant.validation;

import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.ProbedModel;
import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The step the curvature cases hand to their probes: parameters w of a closed-form model, one
 * parameter segment, the given optimizer state; no update history (curvature probes do not read it).
 */
final class CurvatureCaseStep implements StepView {
    private final INDArray w;
    private final ProbedModel model;
    private final OptimizerState optimizer;
    private final ParamLayout layout;

    CurvatureCaseStep(INDArray w, ProbedModel model, OptimizerState optimizer) {
        this.w = w;
        this.model = model;
        this.optimizer = optimizer;
        this.layout = new ParamLayout(List.of(new ParamSegment("0", "W", 0, w.length())));
    }

    @Override public long step() { return 0; }
    @Override public int epoch() { return 0; }
    @Override public int batchSize() { return model.batchSize(); }
    @Override public double loss() { return model.loss(w, 0, model.batchSize()); }
    @Override public ParamLayout layout() { return layout; }
    @Override public INDArray params() { return w; }
    @Override public INDArray initialParams() { return w; }
    @Override public INDArray update() { return null; }
    @Override public INDArray previousUpdate() { return null; }
    @Override public INDArray rawGradient() { return null; }
    @Override public OptimizerState optimizer() { return optimizer; }
    @Override public ProbedModel model() { return model; }
}
