package dev.sextant.bench;

import dev.sextant.demo.data.LabelledData;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

/**
 * One variant of one workload being benchmarked: its own network (new, from the shared seed), its
 * own listeners and batch stream, the time of every timed step, and its memory readings.
 *
 * <p>Only {@code net.fit(batch)} is timed, listener callbacks included; cutting the batch is not.
 * Memory is read after each block with {@link MemoryMeter#settle()}. Since every variant shares one
 * JVM, the JVM-wide maxima say little about one variant; the <em>retained</em> figures do: the
 * change of memory across this variant's own creation, warm-up and blocks (read right before and
 * after each), summed, i.e. what its network, listeners and training state still hold.
 */
final class VariantRun implements AutoCloseable {
    private final Variant variant;
    private final MultiLayerNetwork net;
    private final VariantListeners listeners;
    private final BatchStream batches;
    private final double[] stepMillis;
    private final double[] roundMillis;
    private final int[] roundSteps;
    private int recorded;
    private MemoryMeter.Reading maxAfterBlock = MemoryMeter.Reading.ZERO;
    private MemoryMeter.Reading retained = MemoryMeter.Reading.ZERO;
    private MemoryMeter.Reading lastReading = MemoryMeter.Reading.ZERO;

    private VariantRun(Variant variant, MultiLayerNetwork net, VariantListeners listeners, BatchStream batches,
                       int timedSteps, int rounds) {
        this.variant = variant;
        this.net = net;
        this.listeners = listeners;
        this.batches = batches;
        this.stepMillis = new double[timedSteps];
        this.roundMillis = new double[rounds];
        this.roundSteps = new int[rounds];
    }

    /**
     * Builds the network and listeners and trains {@code warmUp} untimed steps; the memory this
     * takes, from {@code before} to the settled reading after, counts as retained.
     *
     * @throws IllegalStateException when the variant cannot run in this build
     */
    static VariantRun start(Variant variant, Workload workload, LabelledData data, int batch, long seed,
                            int warmUp, int timedSteps, int rounds, MemoryMeter.Reading before) {
        VariantListeners listeners = VariantListeners.create(variant, workload);
        MultiLayerNetwork net = workload.newNetwork(seed);
        net.setListeners(listeners.listeners().toArray(new TrainingListener[0]));
        VariantRun run = new VariantRun(variant, net, listeners, new BatchStream(data, batch, seed), timedSteps, rounds);
        for (int i = 0; i < warmUp; i++) {
            run.net.fit(run.batches.next(run.net));
        }
        MemoryMeter.Reading after = MemoryMeter.settle();
        run.retained = after.minus(before);
        run.maxAfterBlock = after;
        run.lastReading = after;
        return run;
    }

    /**
     * Trains one timed block of {@code steps} steps in round {@code round}; {@code before} is the
     * settled memory reading just before it. Returns the settled reading after it.
     */
    MemoryMeter.Reading block(int round, int steps, MemoryMeter.Reading before) {
        double total = 0;
        for (int i = 0; i < steps; i++) {
            DataSet batch = batches.next(net);
            long start = System.nanoTime();
            net.fit(batch);
            double ms = (System.nanoTime() - start) * 1e-6;
            stepMillis[recorded++] = ms;
            total += ms;
        }
        roundMillis[round] += total;
        roundSteps[round] += steps;
        MemoryMeter.Reading after = MemoryMeter.settle();
        retained = retained.plus(after.minus(before));
        maxAfterBlock = maxAfterBlock.max(after);
        lastReading = after;
        return after;
    }

    /** The settled reading after the warm-up or the last block. */
    MemoryMeter.Reading lastReading() {
        return lastReading;
    }

    Variant variant() {
        return variant;
    }

    MultiLayerNetwork network() {
        return net;
    }

    BatchStream batches() {
        return batches;
    }

    VariantListeners listeners() {
        return listeners;
    }

    /** Times of the timed steps so far, in milliseconds. */
    double[] stepMillis() {
        return Arrays.copyOf(stepMillis, recorded);
    }

    /** Mean step time of each round's block, in milliseconds. */
    double[] roundMeanMillis() {
        double[] out = new double[roundMillis.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = roundSteps[r] == 0 ? Double.NaN : roundMillis[r] / roundSteps[r];
        }
        return out;
    }

    /** The field-wise maximum of the settled readings after warm-up and after each block (JVM-wide). */
    MemoryMeter.Reading maxAfterBlock() {
        return maxAfterBlock;
    }

    /** Memory retained by this variant's creation, warm-up and blocks. */
    MemoryMeter.Reading retained() {
        return retained;
    }

    @Override
    public void close() {
        listeners.close();
    }
}
