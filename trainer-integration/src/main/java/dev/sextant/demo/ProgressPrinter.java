package dev.sextant.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The console progress of a training run: after each step it is told the step's loss and batch
 * size, and at most once per interval it prints one line (step, epoch, mean loss and training
 * accuracy over the batches since the previous line, examples per second) followed by the
 * newest line of each probe that sampled meanwhile ({@link ProbeDigest}).
 *
 * <p>Not thread-safe: with several training threads its caller serializes the calls
 * ({@link StepRecorder}).
 */
final class ProgressPrinter {
    private final PrintStream out;
    private final long intervalNanos;
    private final ProbeDigest digest;
    private final BatchAccuracyListener accuracy;
    private final long totalSteps;
    private final LongSupplier clock;

    private long lastPrintNanos;
    private long lastPrintedStep = -1;
    private double lossSum;
    private int lossCount;
    private long examples;
    private long correctAtLast;
    private long seenAtLast;

    /**
     * @param intervalSeconds at most one line per this many seconds; 0 prints every step
     * @param totalSteps      the step budget, shown as {@code step/total}; 0 when unknown
     * @param clock           nanosecond clock ({@code System::nanoTime})
     */
    ProgressPrinter(PrintStream out, double intervalSeconds, ProbeDigest digest, BatchAccuracyListener accuracy,
                    long totalSteps, LongSupplier clock) {
        this.out = out;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.digest = digest;
        this.accuracy = accuracy;
        this.totalSteps = totalSteps;
        this.clock = clock;
        this.lastPrintNanos = clock.getAsLong();
    }

    /**
     * Explains the columns once, before training.
     *
     * @param workers workers training at once; with more than one, a step is one mini-batch of one
     *                worker and the indented values are worker 0's, measured at its own step (a round)
     */
    void legend(int workers) {
        out.println("progress: loss and acc are means over the batches since the previous line (acc: predictions "
                + "before each update);\n          indented: the newest whole-model probe values, @ the step they were "
                + "measured at");
        if (workers > 1) {
            out.println("          with " + workers + " workers a step is one mini-batch of one worker; the indented "
                    + "values are worker 0's, @ its own step (the round)");
        }
    }

    /** Records a finished step (1-based count) and prints a line when one is due. */
    void step(long step, int epoch, double loss, int batchExamples) {
        lossSum += loss;
        lossCount++;
        examples += batchExamples;
        long now = clock.getAsLong();
        if (step == 1 || now - lastPrintNanos >= intervalNanos) {
            print(step, epoch, now);
        }
    }

    /** Prints the last step's line unless it was just printed. */
    void finish(long step, int epoch) {
        if (step != lastPrintedStep && lossCount > 0) {
            print(step, epoch, clock.getAsLong());
        }
    }

    private void print(long step, int epoch, long now) {
        double seconds = (now - lastPrintNanos) * 1e-9;
        StringBuilder sb = new StringBuilder();
        sb.append("step ").append(step);
        if (totalSteps > 0) {
            sb.append('/').append(totalSteps);
        }
        sb.append("  epoch ").append(epoch);
        sb.append(String.format(Locale.ROOT, "  loss %.4f", lossSum / lossCount));
        BatchAccuracyListener.Tally tally = accuracy.tally();
        long seen = tally.seen() - seenAtLast;
        if (seen > 0) {
            double acc = (tally.correct() - correctAtLast) / (double) seen;
            sb.append(String.format(Locale.ROOT, "  acc %.3f", acc));
        }
        if (lastPrintedStep >= 0 && seconds > 0) {
            sb.append(String.format(Locale.ROOT, "  %.0f ex/s", examples / seconds));
        }
        out.println(sb);
        for (String line : digest.drain()) {
            out.println("  " + line);
        }
        lastPrintNanos = now;
        lastPrintedStep = step;
        lossSum = 0;
        lossCount = 0;
        examples = 0;
        correctAtLast = tally.correct();
        seenAtLast = tally.seen();
    }
}
