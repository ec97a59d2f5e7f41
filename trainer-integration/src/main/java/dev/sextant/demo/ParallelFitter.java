package dev.sextant.demo;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.dl4j.parallel.ParallelSextant;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The network trained by DL4J's {@link ParallelWrapper}: N workers on N threads, each fitting its
 * own copy on its own mini-batch, the parameters and optimizer state averaged after every round
 * (AVERAGING mode, averaging frequency 1, which also makes every round's worker noise scale valid).
 * Worker 0 trains the network itself. Sextant is attached with {@link ParallelSextant}: one
 * listener per worker, built from the same {@link ListenerSettings}, all served at one
 * {@code /metrics} with the label {@code worker}, and the workers' gradient noise scale sampled
 * every {@code --every} rounds.
 *
 * <p>Each {@link #fit} is one {@code ParallelWrapper.fit}: it starts the worker threads and gives
 * the workers new copies of the network (worker 0 keeps the network).
 */
final class ParallelFitter implements Fitter {
    /**
     * Mini-batches the wrapper may read ahead per worker. The demo's batches are cut on the calling
     * thread ({@code asyncSupported() == false}), so the wrapper reads them directly and this bounds
     * nothing today; it stays small should the data come from an asynchronous iterator.
     */
    static final int PREFETCH = 2;

    private final ParallelWrapper wrapper;
    private final ParallelSextant sextant;

    /**
     * Builds the wrapper and attaches Sextant to its workers; the console digest receives worker 0's
     * samples only (the event log and the report are worker 0's as well).
     *
     * @throws UsageException when a setting cannot work (port taken, event log unwritable)
     */
    ParallelFitter(MultiLayerNetwork net, int workers, ListenerSettings settings, ProbeDigest digest, int noiseEvery)
            throws UsageException {
        this.wrapper = new ParallelWrapper.Builder<>(net)
                .workers(workers)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .averagingFrequency(1)
                .prefetchBuffer(PREFETCH)
                .build();
        // ParallelSextant builds worker 0's listener first, in attach; the other workers' on their threads later.
        AtomicBoolean workerZero = new AtomicBoolean(true);
        this.sextant = ListenerSettings.attach(() -> ParallelSextant.attach(wrapper, b -> {
            settings.applyTo(b);
            return workerZero.getAndSet(false) ? b.sink(digest) : b;
        }, noiseEvery));
    }

    @Override
    public void addListeners(TrainingListener... listeners) {
        wrapper.setListeners(listeners); // appends to the wrapper's listeners, after ParallelSextant
    }

    @Override
    public void fit(DataSetIterator batches) {
        wrapper.fit(batches);
    }

    @Override
    public SextantListener sextant() {
        return sextant.rootListener();
    }

    @Override
    public int workers() {
        return sextant.workers();
    }

    @Override
    public void close() {
        try {
            sextant.close();
        } finally {
            wrapper.shutdown();
        }
    }
}
