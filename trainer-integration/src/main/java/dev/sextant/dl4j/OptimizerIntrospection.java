package dev.sextant.dl4j;

import dev.sextant.probe.OptimizerState;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
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
        INDArray state = updater == null ? null : momentsInParameterOrder(updater, u);
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

    /**
     * The updater state as the probes expect it: for Adam-family {@code [m (P) | v (P)]} in
     * parameter order. DL4J keeps one {@code [m | v]} per updater block (layers with equal updater
     * configuration share a block): with one block that is the state view itself (no copy); with
     * several, the blocks' moments are gathered into one array. When a block uses another rule
     * (e.g. NoOp for batch-norm running statistics) no consistent state exists and this returns
     * null, so the preconditioned probe reports NaN rather than a wrong number.
     */
    static INDArray momentsInParameterOrder(Updater updater, IUpdater config) {
        INDArray view = updater.getStateViewArray();
        if (!(config instanceof Adam || config instanceof AdaMax) || !(updater instanceof BaseMultiLayerUpdater<?> multi)) {
            return view;
        }
        List<UpdaterBlock> blocks = multi.getUpdaterBlocks();
        if (blocks.size() == 1) {
            return view;
        }
        long params = blocks.get(blocks.size() - 1).getParamOffsetEnd();
        INDArray m = Nd4j.create(view.dataType(), params);
        INDArray v = Nd4j.create(view.dataType(), params);
        for (UpdaterBlock b : blocks) {
            Map<String, INDArray> st = b.getGradientUpdater().getState();
            if (st == null || !st.containsKey("M") || !st.containsKey("V")) {
                return null;
            }
            var range = org.nd4j.linalg.indexing.NDArrayIndex.interval(b.getParamOffsetStart(), b.getParamOffsetEnd());
            m.get(range).assign(st.get("M").reshape(b.getParamOffsetEnd() - b.getParamOffsetStart()));
            v.get(range).assign(st.get("V").reshape(b.getParamOffsetEnd() - b.getParamOffsetStart()));
        }
        return Nd4j.concat(0, m, v);
    }
}
