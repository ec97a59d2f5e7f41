package dev.sextant.demo;

import dev.sextant.dl4j.SextantListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains the demo's network on the mini-batches it is given, with Sextant attached: one network
 * ({@link SingleFitter}) or DL4J's ParallelWrapper workers ({@link ParallelFitter}). The training
 * loop, progress and summary are the same for both ({@link Trainer}).
 */
interface Fitter extends AutoCloseable {

    /** Adds listeners after Sextant's, called at every step of every worker (possibly from several threads at once). */
    void addListeners(TrainingListener... listeners);

    /** Trains on every mini-batch {@code batches} has left; returns when all are trained. */
    void fit(DataSetIterator batches);

    /** The listener whose metrics endpoint, event log, live page and run id the run reports (worker 0's). */
    SextantListener sextant();

    /** Number of workers training at once (1 for one network). */
    int workers();

    /** Detaches Sextant: stops the metrics server and closes the event log. */
    @Override
    void close();
}
