package dev.sextant.probe.curvature;

import dev.sextant.probe.StepView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The step's parameters in the data type of the evaluation model ({@code ProbedModel.dataType()},
 * float64 by default): the live parameters themselves when the types agree (read only), otherwise
 * a reused buffer holding their cast copy.
 */
final class ParameterPoint {
    private INDArray buffer;

    INDArray of(StepView step) {
        INDArray params = step.params();
        if (params.length() != step.layout().size()) {
            throw new IllegalStateException("parameters have " + params.length() + " values, the layout "
                    + step.layout().size());
        }
        if (params.dataType() == step.model().dataType()) {
            return params;
        }
        if (buffer == null || buffer.length() != params.length() || buffer.dataType() != step.model().dataType()) {
            buffer = Nd4j.createUninitialized(step.model().dataType(), params.shape());
        }
        return buffer.assign(params);
    }
}
