package dev.sextant.demo;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Counts the training steps of a run as DL4J finishes them, from any number of threads: each
 * {@code iterationDone} is one step (one mini-batch of one network, or of one ParallelWrapper
 * worker, whose threads call it concurrently). It keeps the step and example counts and the mean
 * mini-batch loss of the first and the last {@link Trainer#LOSS_WINDOW} steps, and hands every step to
 * the {@link ProgressPrinter}, one at a time.
 *
 * <p>Attach it after the other listeners, so that a progress line also shows the probe values
 * sampled at its step.
 */
final class StepRecorder extends BaseTrainingListener {
    private final ProgressPrinter progress;
    private final double[] lastLosses = new double[Trainer.LOSS_WINDOW];
    private double firstSum;
    private long steps;
    private long examples;

    StepRecorder(ProgressPrinter progress) {
        this.progress = progress;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        record(model.score(), model.batchSize(), epoch);
    }

    /** Records one finished step of {@code batchExamples} examples with mini-batch loss {@code loss}. */
    synchronized void record(double loss, int batchExamples, int epoch) {
        if (steps < Trainer.LOSS_WINDOW) {
            firstSum += loss;
        }
        lastLosses[(int) (steps % Trainer.LOSS_WINDOW)] = loss;
        steps++;
        examples += batchExamples;
        progress.step(steps, epoch, loss, batchExamples);
    }

    /** Prints the last progress line unless it was just printed. Call after training. */
    synchronized void finish(int epoch) {
        progress.finish(steps, epoch);
    }

    /** Steps finished so far. */
    synchronized long steps() {
        return steps;
    }

    /** Training examples of the steps finished so far. */
    synchronized long examples() {
        return examples;
    }

    /** Mean loss of the first {@link Trainer#LOSS_WINDOW} steps (fewer when fewer were taken); NaN before any. */
    synchronized double initialLoss() {
        return firstSum / window();
    }

    /** Mean loss of the last {@link Trainer#LOSS_WINDOW} steps (fewer when fewer were taken); NaN before any. */
    synchronized double finalLoss() {
        double sum = 0;
        for (int i = 0; i < window(); i++) {
            sum += lastLosses[i];
        }
        return sum / window();
    }

    private int window() {
        return (int) Math.min(steps, Trainer.LOSS_WINDOW);
    }
}
