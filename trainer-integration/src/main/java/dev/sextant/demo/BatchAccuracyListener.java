package dev.sextant.demo;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Training accuracy of each mini-batch, at no extra forward pass: in {@code onForwardPass}
 * DL4J hands over the activations up to the input of the output layer (M2.1,
 * {@code MultiLayerNetwork.computeGradientAndScore}); the predicted class is
 * {@code argmax(a·W + b)} over the output layer's weights (softmax is monotone, so the
 * pre-activation's argmax is the prediction). These are the predictions of the parameters
 * <em>before</em> the step's update, on the batch being trained on: the usual running training
 * accuracy. One {@code [batch × nIn]·[nIn × 10]} product per step; only the count of correct
 * predictions leaves the device.
 *
 * <p>Works for a {@link MultiLayerNetwork} whose output layer is dense ({@code W}, {@code b}) and
 * reads a rank-2 activation (both demo networks); otherwise it counts nothing and
 * {@link #available()} stays false.
 *
 * <p>Thread-safe: one instance may count for several networks trained at once (ParallelWrapper's
 * workers call it from their own threads); {@link #tally()} reads both counts together.
 */
public final class BatchAccuracyListener extends BaseTrainingListener {
    private long correct;
    private long seen;
    private boolean available;

    /**
     * The counts at one moment.
     *
     * @param correct correct predictions counted so far
     * @param seen    examples counted so far
     */
    public record Tally(long correct, long seen) {
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (!(model instanceof MultiLayerNetwork net) || activations.isEmpty()) {
            return;
        }
        INDArray a = activations.get(activations.size() - 1);
        Layer out = net.getOutputLayer();
        INDArray w = out.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = out.getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray labels = net.getLabels();
        if (a == null || w == null || b == null || labels == null || a.rank() != 2 || w.rank() != 2
                || a.columns() != w.rows() || labels.rank() != 2 || labels.rows() != a.rows()) {
            return;
        }
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray z = a.mmul(w).addiRowVector(b);
            INDArray hits = Nd4j.argMax(z, 1).eq(Nd4j.argMax(labels, 1)).castTo(DataType.DOUBLE);
            count(hits.sumNumber().longValue(), a.rows());
        }
    }

    private synchronized void count(long hits, long rows) {
        correct += hits;
        seen += rows;
        available = true;
    }

    /** Correct predictions counted so far. */
    public synchronized long correct() {
        return correct;
    }

    /** Examples counted so far. */
    public synchronized long seen() {
        return seen;
    }

    /** Both counts, read together. */
    public synchronized Tally tally() {
        return new Tally(correct, seen);
    }

    /** Whether any batch could be counted (false for networks this listener cannot read). */
    public synchronized boolean available() {
        return available;
    }
}
