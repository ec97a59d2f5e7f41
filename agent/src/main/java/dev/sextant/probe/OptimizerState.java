package dev.sextant.probe;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimizer as it is at this step: kind, current learning rate (after its schedule) and
 * hyper-parameters. Fields that the optimizer lacks are NaN.
 *
 * @param kind         the update rule
 * @param learningRate η at this step, from the updater's schedule
 * @param momentum     heavy-ball / Nesterov momentum β (NaN when not applicable)
 * @param beta1        Adam-family first-moment decay (NaN when not applicable)
 * @param beta2        Adam-family second-moment decay, RMSProp decay (NaN when not applicable)
 * @param epsilon      the updater's ε (NaN when not applicable)
 * @param t            1-based update count used for bias correction (iteration + 1)
 * @param stateView    the updater's live state ({@code [m | v]} for Adam), or {@code null}; read only
 */
public record OptimizerState(Kind kind, double learningRate, double momentum, double beta1, double beta2,
                             double epsilon, long t, INDArray stateView) {

    /** Update rules Sextant knows the geometry of. */
    public enum Kind { SGD, NESTEROVS, ADAM, ADAMAX, RMSPROP, OTHER }

    /** Plain SGD with learning rate {@code lr}. */
    public static OptimizerState sgd(double lr, long t) {
        return new OptimizerState(Kind.SGD, lr, Double.NaN, Double.NaN, Double.NaN, Double.NaN, t, null);
    }
}
