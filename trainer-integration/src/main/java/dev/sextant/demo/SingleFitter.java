package dev.sextant.demo;

import dev.sextant.dl4j.SextantListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** One network trained on the calling thread, one {@code fit} per mini-batch, with a {@link SextantListener}. */
final class SingleFitter implements Fitter {
    private final MultiLayerNetwork net;
    private final SextantListener sextant;

    /**
     * Builds the listener and attaches it to {@code net}.
     *
     * @throws UsageException when a setting cannot work (port taken, event log unwritable)
     */
    SingleFitter(MultiLayerNetwork net, ListenerSettings settings, ProbeDigest digest) throws UsageException {
        this.net = net;
        this.sextant = ListenerSettings.attach(() -> settings.applyTo(SextantListener.builder()).sink(digest).build());
        net.setListeners(sextant);
    }

    @Override
    public void addListeners(TrainingListener... listeners) {
        net.addListeners(listeners);
    }

    @Override
    public void fit(DataSetIterator batches) {
        while (batches.hasNext()) {
            net.fit(batches.next());
        }
    }

    @Override
    public SextantListener sextant() {
        return sextant;
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public void close() {
        sextant.close();
    }
}
