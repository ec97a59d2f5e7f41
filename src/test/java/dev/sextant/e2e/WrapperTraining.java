package dev.sextant.e2e;

import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link ParallelWrapper} training on a background thread until {@link #close()}: one
 * {@code fit} over an iterator that hands out the given batches again and again, pausing before
 * each one (the pause leaves the machine's cores to Prometheus and the test's queries). One fit
 * for the whole run, so every worker keeps its replica, and Sextant its worker's listener, from
 * start to end. A fit that throws ends the run; {@link #assertAlive()} and {@link #close()} report
 * it.
 */
final class WrapperTraining implements AutoCloseable {
    private final ParallelWrapper wrapper;
    private final Thread thread;
    private final Batches batches;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private WrapperTraining(ParallelWrapper wrapper, List<DataSet> data, Duration pause) {
        this.wrapper = wrapper;
        this.batches = new Batches(data, pause);
        this.thread = new Thread(() -> {
            try {
                wrapper.fit(batches);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "wrapper-training");
        thread.setDaemon(true);
    }

    /** Starts {@code wrapper.fit} over {@code data}, cycled, with {@code pause} before each batch. */
    static WrapperTraining start(ParallelWrapper wrapper, List<DataSet> data, Duration pause) {
        WrapperTraining training = new WrapperTraining(wrapper, data, pause);
        training.thread.start();
        return training;
    }

    /** Batches handed to the wrapper so far (each goes to one worker). */
    long batches() {
        return batches.handedOut.get();
    }

    /** Fails when the fit threw or ended by itself. */
    void assertAlive() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("ParallelWrapper training failed after " + batches() + " batches", t);
        }
        if (!thread.isAlive() && !batches.stop) {
            throw new AssertionError("ParallelWrapper training ended after " + batches() + " batches");
        }
    }

    /** Ends the fit after its current round, waits for it, shuts the wrapper's workers down; rethrows a failure. */
    @Override
    public void close() throws Exception {
        batches.stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(60));
        wrapper.close();
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("ParallelWrapper training failed after " + batches() + " batches", t);
        }
    }

    /** The batches in turn, forever, until {@code stop}; a pause before each. */
    private static final class Batches implements DataSetIterator {
        private final List<DataSet> data;
        private final Duration pause;
        private final AtomicLong handedOut = new AtomicLong();
        private volatile boolean stop;

        Batches(List<DataSet> data, Duration pause) {
            this.data = data;
            this.pause = pause;
        }

        @Override
        public boolean hasNext() {
            return !stop;
        }

        @Override
        public DataSet next() {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            }
            return data.get((int) (handedOut.getAndIncrement() % data.size()));
        }

        @Override
        public DataSet next(int num) {
            throw new UnsupportedOperationException("batches are handed out as they are");
        }

        @Override
        public int inputColumns() {
            return (int) data.get(0).getFeatures().size(1);
        }

        @Override
        public int totalOutcomes() {
            return (int) data.get(0).getLabels().size(1);
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("an endless iterator is never reset");
        }

        @Override
        public int batch() {
            return data.get(0).numExamples();
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("no preprocessing");
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public List<String> getLabels() {
            return null;
        }
    }
}
