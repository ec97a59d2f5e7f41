package dev.sextant.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Passes every DL4J callback to a listener and adds up the time spent inside it: the listener's
 * own cost on the training thread, measured in the same steps as the training it slows, so its
 * share does not depend on how busy the machine was in another block.
 */
final class TimedListener implements TrainingListener {
    private final TrainingListener delegate;
    private long nanos;

    TimedListener(TrainingListener delegate) {
        this.delegate = delegate;
    }

    /** Nanoseconds spent inside the listener since the last {@link #reset()}. */
    long nanos() {
        return nanos;
    }

    void reset() {
        nanos = 0;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        timed(() -> delegate.iterationDone(model, iteration, epoch));
    }

    @Override
    public void onEpochStart(Model model) {
        timed(() -> delegate.onEpochStart(model));
    }

    @Override
    public void onEpochEnd(Model model) {
        timed(() -> delegate.onEpochEnd(model));
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        timed(() -> delegate.onForwardPass(model, activations));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        timed(() -> delegate.onForwardPass(model, activations));
    }

    @Override
    public void onGradientCalculation(Model model) {
        timed(() -> delegate.onGradientCalculation(model));
    }

    @Override
    public void onBackwardPass(Model model) {
        timed(() -> delegate.onBackwardPass(model));
    }

    /** Runs one callback of the wrapped listener and adds its time. */
    private void timed(Runnable callback) {
        long t = System.nanoTime();
        try {
            callback.run();
        } finally {
            nanos += System.nanoTime() - t;
        }
    }
}
