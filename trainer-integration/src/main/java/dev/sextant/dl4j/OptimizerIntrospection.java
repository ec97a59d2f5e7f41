package dev.sextant.dl4j;

import dev.sextant.probe.OptimizerState;
import org.deeplearning4j.nn.api.Updater;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Reads the optimizer of a DL4J network as it is at a step: the update rule, the learning rate
 * after its schedule ({@code IUpdater.getLearningRate(iteration, epoch)}), its hyper-parameters
 * and the updater's state view. The first layer with parameters speaks for the network; layers
 * configured with different updaters are not told apart.
 */
final class OptimizerIntrospection {
    private OptimizerIntrospection() {
    }

    static OptimizerState read(NetworkAccess net, int iteration, int epoch) {
        IUpdater u = net.firstUpdater();
        if (u == null) {
            return new OptimizerState(OptimizerState.Kind.OTHER, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, iteration + 1L, null);
        }
        double lr = u.hasLearningRate() ? u.getLearningRate(iteration, epoch) : Double.NaN;
        Updater updater = net.updater();
        var state = updater == null ? null : updater.getStateViewArray();
        long t = iteration + 1L;
        double nan = Double.NaN;
        if (u instanceof Sgd) {
            return new OptimizerState(OptimizerState.Kind.SGD, lr, nan, nan, nan, nan, t, state);
        }
        if (u instanceof Nesterovs n) {
            double momentum = n.getMomentumISchedule() != null
                    ? n.getMomentumISchedule().valueAt(iteration, epoch) : n.getMomentum();
            return new OptimizerState(OptimizerState.Kind.NESTEROVS, lr, momentum, nan, nan, nan, t, state);
        }
        if (u instanceof Adam a) {
            return new OptimizerState(OptimizerState.Kind.ADAM, lr, nan, a.getBeta1(), a.getBeta2(), a.getEpsilon(),
                    t, state);
        }
        if (u instanceof AdaMax a) {
            return new OptimizerState(OptimizerState.Kind.ADAMAX, lr, nan, a.getBeta1(), a.getBeta2(),
                    a.getEpsilon(), t, state);
        }
        if (u instanceof RmsProp r) {
            return new OptimizerState(OptimizerState.Kind.RMSPROP, lr, nan, nan, r.getRmsDecay(), r.getEpsilon(),
                    t, state);
        }
        return new OptimizerState(OptimizerState.Kind.OTHER, lr, nan, nan, nan, nan, t, state);
    }
}
