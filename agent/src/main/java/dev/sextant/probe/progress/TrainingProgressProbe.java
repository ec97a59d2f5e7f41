package dev.sextant.probe.progress;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.StepView;

import java.util.List;

/**
 * Where training is: step, epoch, mini-batch loss, learning rate (after its schedule) and
 * throughput in examples per second, measured between this probe's calls.
 */
public final class TrainingProgressProbe implements Probe {
    public static final MetricSpec STEP = MetricSpec.global("sextant_step", null,
            "Training iteration (DL4J iteration count) of the last sample.");
    public static final MetricSpec EPOCH = MetricSpec.global("sextant_epoch", null,
            "DL4J epoch count of the last sample.");
    public static final MetricSpec LOSS = MetricSpec.global("sextant_loss", null,
            "Mini-batch loss (DL4J score, mean over the batch, with regularisation) at the last sample.");
    public static final MetricSpec LEARNING_RATE = MetricSpec.global("sextant_learning_rate", null,
            "Learning rate at this step, after the updater's schedule.");
    public static final MetricSpec THROUGHPUT = MetricSpec.global("sextant_throughput", "examples_per_second",
            "Training examples processed per wall-clock second since the previous sample (Sextant's time included).");
    public static final MetricSpec BATCH_SIZE = MetricSpec.global("sextant_batch_size", "examples",
            "Examples in the mini-batch of the last sample.");

    private long lastStep = -1;
    private long lastNanos;

    @Override
    public String name() {
        return "progress";
    }

    @Override
    public List<MetricSpec> metrics() {
        return List.of(STEP, EPOCH, LOSS, LEARNING_RATE, THROUGHPUT, BATCH_SIZE);
    }

    @Override
    public void sample(StepView step, Readings out) {
        long now = System.nanoTime();
        out.put(STEP, step.step());
        out.put(EPOCH, step.epoch());
        out.put(LOSS, step.loss());
        out.put(LEARNING_RATE, step.optimizer().learningRate());
        out.put(BATCH_SIZE, step.batchSize());
        if (lastStep >= 0 && step.step() > lastStep) {
            double seconds = (now - lastNanos) * 1e-9;
            out.put(THROUGHPUT, (step.step() - lastStep) * (double) step.batchSize() / seconds);
        }
        lastStep = step.step();
        lastNanos = now;
    }
}
