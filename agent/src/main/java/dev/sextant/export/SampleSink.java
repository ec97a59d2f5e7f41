package dev.sextant.export;

import dev.sextant.probe.Sample;

/** Receives every sample and the runner's own bookkeeping. Called on the training thread. */
public interface SampleSink extends AutoCloseable {

    /** A probe produced a sample. */
    void accept(Sample sample);

    /** A probe call took {@code seconds} of training-thread time (whether or not it succeeded). */
    default void probeTimed(String probe, long step, double seconds) {
    }

    /** A probe threw; training goes on. */
    default void probeFailed(String probe, long step, Throwable cause) {
    }

    /** The governor changed a probe's interval, from this step on. */
    default void intervalChanged(String probe, long step, int interval) {
    }

    @Override
    default void close() {
    }
}
