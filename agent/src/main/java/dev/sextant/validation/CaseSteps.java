package dev.sextant.validation;

import dev.sextant.probe.MutableStepView;
import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import dev.sextant.probe.ProbedModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** The steps the validation cases hand to their probes. */
final class CaseSteps {
    private CaseSteps() {
    }

    /**
     * A curvature case's step: parameters w of a closed-form model, one parameter segment, the
     * given optimizer state; no update history (curvature probes do not read it).
     */
    static MutableStepView curvature(INDArray w, ProbedModel model, OptimizerState optimizer) {
        MutableStepView s = new MutableStepView();
        s.params = w;
        s.initialParams = w;
        s.layout = new ParamLayout(List.of(new ParamSegment("0", "W", 0, w.length())));
        s.model = model;
        s.batchSize = model.batchSize();
        s.loss = model.loss(w, 0, model.batchSize());
        s.optimizer = optimizer;
        return s;
    }

    /**
     * A gradient-noise case's step: float32 parameters at 0 (as DL4J trains; the probes must cast
     * them to the oracle's float64), a zero update, and the oracle's batch.
     */
    static MutableStepView noise(long step, ParamLayout layout, ProbedModel model) {
        MutableStepView s = new MutableStepView();
        s.step = step;
        s.layout = layout;
        s.params = Nd4j.zeros(DataType.FLOAT, 1, layout.size());
        s.initialParams = s.params;
        s.update = Nd4j.zeros(DataType.FLOAT, 1, layout.size());
        s.model = model;
        s.batchSize = model.batchSize();
        s.optimizer = OptimizerState.sgd(0.1, step + 1);
        return s;
    }
}
