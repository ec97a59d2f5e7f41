package dev.sextant.testing;

import dev.sextant.probe.MutableStepView;
import dev.sextant.probe.OptimizerState;
import dev.sextant.probe.ParamLayout;
import dev.sextant.probe.ParamSegment;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** A hand-built step for probe tests; set the fields a test needs, the rest stay null/NaN. */
public final class TestStep extends MutableStepView {

    public TestStep() {
        optimizer = OptimizerState.sgd(0.1, 1);
    }

    /** A step whose parameters form one segment (layer "0", param "W"), with a zero update. */
    public static TestStep single(INDArray params) {
        TestStep s = new TestStep();
        s.params = params;
        s.initialParams = params.dup();
        s.update = params.mul(0);
        s.layout = new ParamLayout(List.of(new ParamSegment("0", "W", 0, params.length())));
        return s;
    }
}
