package dev.sextant.demo;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Locale;

/** The demo's optimizers, each with the learning rate it uses when {@code --lr} is not given. */
public enum OptimizerKind {
    /** Plain stochastic gradient descent. */
    SGD(0.1),
    /** SGD with Nesterov momentum {@link #NESTEROV_MOMENTUM}. */
    NESTEROVS(0.05),
    /** Adam with DL4J's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    ADAM(1e-3);

    /** Momentum coefficient of {@link #NESTEROVS}. */
    public static final double NESTEROV_MOMENTUM = 0.9;

    private final double defaultLearningRate;

    OptimizerKind(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    /** The DL4J updater configuration at learning rate {@code lr}. */
    public IUpdater updater(double lr) {
        return switch (this) {
            case SGD -> new Sgd(lr);
            case NESTEROVS -> new Nesterovs(lr, NESTEROV_MOMENTUM);
            case ADAM -> new Adam(lr);
        };
    }

    /** The DL4J updater configuration with a learning-rate schedule. */
    public IUpdater updater(ISchedule lr) {
        return switch (this) {
            case SGD -> new Sgd(lr);
            case NESTEROVS -> new Nesterovs(lr, NESTEROV_MOMENTUM);
            case ADAM -> new Adam(lr);
        };
    }

    /** The name on the command line. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
