package dev.sextant.bench;

import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.ShuffledBatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Random;

/**
 * An endless sequence of shuffled mini-batches for one network, epoch after epoch; the same seed
 * gives every variant the same batches in the same order.
 */
final class BatchStream {
    private final ShuffledBatchIterator batches;

    BatchStream(LabelledData data, int batch, long seed) {
        this.batches = new ShuffledBatchIterator(data, batch, new Random(seed));
    }

    /** The next batch; at the end of an epoch, reshuffles and counts the epoch on {@code net}. */
    DataSet next(MultiLayerNetwork net) {
        if (!batches.hasNext()) {
            batches.reset();
            net.incrementEpochCount();
        }
        return batches.next();
    }
}
