package dev.sextant.probe.curvature;

import dev.sextant.probe.OptimizerState;

/**
 * The curvature above which an optimizer's update rule diverges on a quadratic: the level at which
 * sharpness hovers at the edge of stability (Cohen et al. 2021, "Gradient Descent on Neural
 * Networks Typically Occurs at the Edge of Stability", arXiv 2103.00065; Cohen et al. 2022,
 * "Adaptive Gradient Methods at the Edge of Stability", arXiv 2207.14484). η is the learning rate
 * at the step (after its schedule), so the threshold moves with the schedule.
 *
 * <p>Each formula is the boundary where a root of the update's characteristic polynomial on
 * {@code L(w) = ½hw²} leaves the unit circle through −1; {@code StabilityThresholdTest} runs each
 * recurrence just below and just above it.
 * <ul>
 *   <li>Gradient descent {@code w ← w − ηg}: {@code 2/η} (Cohen et al. 2021).</li>
 *   <li>Heavy-ball momentum {@code v ← βv − ηg, w ← w + v}: {@code (2+2β)/η} (Cohen et al. 2021,
 *       their treatment of momentum on quadratics).</li>
 *   <li>Nesterov momentum: {@code (2+2β)/((1+2β)η)} (ibid.). DL4J's {@code Nesterovs}
 *       updater (libnd4j {@code updaterNesterovs}) computes {@code v' = βv − ηg},
 *       {@code u = βv − (1+β)v'} and applies {@code w ← w − u}: this is Bengio et al.'s
 *       reformulation of Nesterov momentum ("Advances in Optimizing Recurrent Networks",
 *       arXiv 1212.0901) in the shifted variable
 *       {@code Θ = θ + βv}; on a quadratic its characteristic polynomial is
 *       {@code z² − (1+β)(1−ηh)z + β(1−ηh)}, whose root at −1 gives exactly this threshold.</li>
 *   <li>Adam, on the <em>preconditioned</em> sharpness {@code λ_max(P^{-1/2}HP^{-1/2})} with the
 *       preconditioner frozen: {@code (2+2β₁)/((1−β₁)η)}, 38/η for β₁ = 0.9 (Cohen et al. 2022,
 *       the threshold their preconditioned sharpness equilibrates at). Adam's EMA momentum {@code m ← β₁m + (1−β₁)g} is heavy ball with step
 *       {@code (1−β₁)η} in the preconditioned coordinates; the bias correction
 *       {@code 1/(1−β₁ᵗ)} tends to 1 and does not move the asymptotic threshold.</li>
 *   <li>RMSProp (no momentum), on the preconditioned sharpness: {@code 2/η}, the threshold of
 *       preconditioned gradient descent with a frozen preconditioner (Cohen et al. 2022), i.e.
 *       gradient descent in the coordinates {@code P^{1/2}w}.</li>
 *   <li>AdaMax and any other rule: NaN. No published threshold is known to us for AdaMax's
 *       max-norm preconditioner, and Sextant does not invent one.</li>
 * </ul>
 */
public final class StabilityThreshold {
    private StabilityThreshold() {
    }

    /** Gradient descent: {@code 2/η}. */
    public static double gradientDescent(double lr) {
        return 2 / lr;
    }

    /** Heavy-ball momentum β: {@code (2+2β)/η}. */
    public static double heavyBall(double lr, double beta) {
        return (2 + 2 * beta) / lr;
    }

    /** Nesterov momentum β (and DL4J's {@code Nesterovs}): {@code (2+2β)/((1+2β)η)}. */
    public static double nesterov(double lr, double beta) {
        return (2 + 2 * beta) / ((1 + 2 * beta) * lr);
    }

    /** Adam with first-moment decay β₁, for the preconditioned sharpness: {@code (2+2β₁)/((1−β₁)η)}. */
    public static double adam(double lr, double beta1) {
        return (2 + 2 * beta1) / ((1 - beta1) * lr);
    }

    /** RMSProp, for the preconditioned sharpness: {@code 2/η}. */
    public static double rmsProp(double lr) {
        return 2 / lr;
    }

    /**
     * Whether the optimizer's threshold applies to the preconditioned sharpness (Adam, AdaMax,
     * RMSProp) rather than to the sharpness of the Hessian itself.
     */
    public static boolean preconditioned(OptimizerState.Kind kind) {
        return kind == OptimizerState.Kind.ADAM || kind == OptimizerState.Kind.ADAMAX
                || kind == OptimizerState.Kind.RMSPROP;
    }

    /** The threshold of the optimizer at this step; NaN when no formula is known or a setting is missing. */
    public static double of(OptimizerState optimizer) {
        double lr = optimizer.learningRate();
        switch (optimizer.kind()) {
            case SGD:
                return gradientDescent(lr);
            case NESTEROVS:
                return nesterov(lr, optimizer.momentum());
            case ADAM:
                return adam(lr, optimizer.beta1());
            case RMSPROP:
                return rmsProp(lr);
            default:
                return Double.NaN;
        }
    }
}
