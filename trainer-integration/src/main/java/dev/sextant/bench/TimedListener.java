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
        long t = System.nanoTime();
        try {
            delegate.iterationDone(model, iteration, epoch);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public void onEpochStart(Model model) {
        long t = System.nanoTime();
        try {
            delegate.onEpochStart(model);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        long t = System.nanoTime();
        try {
            delegate.onEpochEnd(model);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        long t = System.nanoTime();
        try {
            delegate.onForwardPass(model, activations);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        long t = System.nanoTime();
        try {
            delegate.onForwardPass(model, activations);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        long t = System.nanoTime();
        try {
            delegate.onGradientCalculation(model);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public void onBackwardPass(Model model) {
        long t = System.nanoTime();
        try {
            delegate.onBackwardPass(model);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }
}
