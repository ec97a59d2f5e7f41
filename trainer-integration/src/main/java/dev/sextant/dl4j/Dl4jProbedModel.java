package dev.sextant.dl4j;

import dev.sextant.probe.ProbedModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Gradient and loss evaluations on a private copy of the training network (float64 by default),
 * on the training network's current batch. The training network is never touched: its
 * parameters, gradient view, score, input, labels and updater stay as they are. The one shared
 * thing, ND4J's random generator (it advances when dropout is on), is saved before and restored
 * after every evaluation; inside an evaluation it is seeded with a fixed seed, so the dropout
 * mask is the same for every evaluation of a step and finite differences see one function.
 *
 * <p>DL4J's {@code computeGradientAndScore()} leaves the gradient summed over the batch; this
 * class divides by the number of rows, so gradients are means, like the score. The score includes
 * the L1/L2 regularisation term while the gradient (before the updater) does not.
 */
final class Dl4jProbedModel implements ProbedModel {
    private static final long EVALUATION_SEED = 0x5E47A47L;

    private final NetworkAccess training;
    private final DataType type;
    private Model copy;
    private INDArray[] inputs;
    private INDArray[] labels;
    private int batchSize;

    Dl4jProbedModel(NetworkAccess training, DataType type) {
        this.training = training;
        this.type = type;
    }

    /** Marks the batch as changed: the next evaluation reads the training network's current batch. */
    void rebind() {
        inputs = null;
        labels = null;
    }

    /** Points the evaluations at the training network's current batch. */
    private void bindCurrentBatch() {
        INDArray[] in = training.inputs();
        INDArray[] lab = training.labels();
        if (in == null || lab == null || in[0] == null || lab[0] == null) {
            throw new IllegalStateException("the network holds no current batch (input or labels are null)");
        }
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            inputs = castAll(in);
            labels = castAll(lab);
        }
        batchSize = (int) inputs[0].size(0);
    }

    private INDArray[] castAll(INDArray[] arrays) {
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i].dataType() == type ? arrays[i].dup() : arrays[i].castTo(type);
        }
        return out;
    }

    @Override
    public int batchSize() {
        if (inputs == null) {
            bindCurrentBatch();
        }
        return batchSize;
    }

    @Override
    public DataType dataType() {
        return type;
    }

    @Override
    public double gradient(INDArray w, int from, int to, INDArray out) {
        return evaluate(w, from, to, out);
    }

    @Override
    public double loss(INDArray w, int from, int to) {
        return evaluate(w, from, to, null);
    }

    private double evaluate(INDArray w, int from, int to, INDArray out) {
        if (inputs == null) {
            bindCurrentBatch();
        }
        if (from < 0 || to > batchSize || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") outside the batch of " + batchSize);
        }
        if (w.dataType() != type) {
            throw new IllegalArgumentException("parameters are " + w.dataType() + ", evaluations run in " + type);
        }
        Random rng = Nd4j.getRandom();
        long root = rng.rootState();
        long node = rng.nodeState();
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            Model m = copy();
            m.setParams(w);
            rng.setSeed(EVALUATION_SEED);
            setBatch(m, rows(inputs, from, to), rows(labels, from, to));
            INDArray g;
            if (m instanceof MultiLayerNetwork mln) {
                mln.computeGradientAndScore();
                g = mln.getFlattenedGradients();
            } else {
                ComputationGraph cg = (ComputationGraph) m;
                cg.computeGradientAndScore();
                g = cg.getFlattenedGradients();
            }
            if (out != null) {
                out.assign(g.reshape(out.shape())).divi(to - from);
            }
            return m.score();
        } finally {
            rng.setStates(root, node);
        }
    }

    private Model copy() {
        if (copy == null || copy.numParams() != training.model().numParams()) {
            copy = training.copy(type);
        }
        return copy;
    }

    private static void setBatch(Model m, INDArray[] in, INDArray[] lab) {
        if (m instanceof MultiLayerNetwork mln) {
            mln.setInput(in[0]);
            mln.setLabels(lab[0]);
        } else {
            ComputationGraph cg = (ComputationGraph) m;
            cg.setInputs(in);
            cg.setLabels(lab);
        }
    }

    private static INDArray[] rows(INDArray[] arrays, int from, int to) {
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            if (from == 0 && to == a.size(0)) {
                out[i] = a;
                continue;
            }
            INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
            idx[0] = NDArrayIndex.interval(from, to);
            for (int d = 1; d < idx.length; d++) {
                idx[d] = NDArrayIndex.all();
            }
            out[i] = a.get(idx).dup();
        }
        return out;
    }
}
