package dev.sextant.bench;

import dev.sextant.demo.data.LabelledData;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;

/**
 * One variant of one workload being benchmarked: its own network (new, from the shared seed), its
 * own listeners and batch stream, the time of every timed step and of the listeners inside them,
 * and the memory read after each block.
 *
 * <p>Only {@code net.fit(batch)} is timed, listener callbacks included; cutting the batch is not.
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
    private double listenerMillis;
    private MemoryMeter.Reading maxAfterBlock = MemoryMeter.Reading.ZERO;

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
     * Builds the network and listeners and trains {@code warmUp} untimed steps.
     *
     * @throws IllegalStateException when the variant cannot run in this build
     */
    static VariantRun start(Variant variant, Workload workload, LabelledData data, int batch, long seed,
                            int warmUp, int timedSteps, int rounds) {
        VariantListeners listeners = VariantListeners.create(variant, workload);
        MultiLayerNetwork net = workload.newNetwork(seed);
        net.setListeners(listeners.listeners().toArray(new TrainingListener[0]));
        VariantRun run = new VariantRun(variant, net, listeners, new BatchStream(data, batch, seed), timedSteps, rounds);
        for (int i = 0; i < warmUp; i++) {
            run.net.fit(run.batches.next(run.net));
        }
        return run;
    }

    /** Trains one timed block of {@code steps} steps in round {@code round}, then reads memory after GC. */
    void block(int round, int steps) {
        double total = 0;
        listeners.resetTime();
        for (int i = 0; i < steps; i++) {
            DataSet batch = batches.next(net);
            long start = System.nanoTime();
            net.fit(batch);
            double ms = (System.nanoTime() - start) * 1e-6;
            stepMillis[recorded++] = ms;
            total += ms;
        }
        listenerMillis += listeners.listenerNanos() * 1e-6;
        roundMillis[round] += total;
        roundSteps[round] += steps;
        maxAfterBlock = maxAfterBlock.max(MemoryMeter.settle());
    }

    /**
     * What a contiguous stretch of steps measured, outside the interleaved blocks.
     *
     * @param fromStep   DL4J iteration of its first step
     * @param steps      its steps
     * @param medianMs   median step time
     * @param meanMs     mean step time
     * @param listenerMs time inside the listeners per step
     */
    record Stretch(long fromStep, int steps, double medianMs, double meanMs, double listenerMs) {
        /** {@code 1 + listenerMs / (meanMs − listenerMs)}, as {@link VariantResult#listenerRatio()}. */
        double listenerRatio() {
            return 1 + listenerMs / (meanMs - listenerMs);
        }
    }

    /**
     * Trains {@code leadIn} untimed steps, then {@code steps} more in one timed stretch (not part of
     * the interleaved results).
     */
    Stretch stretch(int leadIn, int steps) {
        for (int i = 0; i < leadIn; i++) {
            net.fit(batches.next(net));
        }
        long from = net.getIterationCount();
        double[] ms = new double[steps];
        listeners.resetTime();
        for (int i = 0; i < steps; i++) {
            DataSet batch = batches.next(net);
            long start = System.nanoTime();
            net.fit(batch);
            ms[i] = (System.nanoTime() - start) * 1e-6;
        }
        return new Stretch(from, steps, Statistics.median(ms), Statistics.mean(ms),
                listeners.listenerNanos() * 1e-6 / steps);
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

    /** Time spent inside the listeners during the timed steps, in milliseconds. */
    double listenerMillis() {
        return listenerMillis;
    }

    /** Mean step time of each round's block, in milliseconds. */
    double[] roundMeanMillis() {
        double[] out = new double[roundMillis.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = roundSteps[r] == 0 ? Double.NaN : roundMillis[r] / roundSteps[r];
        }
        return out;
    }

    /**
     * Field-wise maximum of the memory read after GC at the end of each block. JVM-wide: all
     * variants share the JVM, so these say how much the process needed, not this variant alone.
     */
    MemoryMeter.Reading maxAfterBlock() {
        return maxAfterBlock;
    }

    @Override
    public void close() {
        listeners.close();
    }
}
