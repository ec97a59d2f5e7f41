package dev.sextant.demo.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Mini-batches over an in-memory {@link LabelledData}, in a fresh random order each epoch (each
 * {@link #reset()}), drawn from a {@link Random} seeded by the caller: the same seed gives the
 * same batches. The last batch of an epoch may be smaller. Not asynchronous: batches are cut on
 * the calling thread with one {@code pullRows} each.
 */
public final class ShuffledBatchIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final transient LabelledData data;
    private final int batch;
    private final Random random;
    private final int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    /**
     * @param data    the examples
     * @param batch   examples per mini-batch, at least 1
     * @param random  source of the order, or {@code null} to keep the stored order (evaluation)
     */
    public ShuffledBatchIterator(LabelledData data, int batch, Random random) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch: " + batch + "; a mini-batch needs at least 1 example");
        }
        this.data = data;
        this.batch = batch;
        this.random = random;
        this.order = new int[data.size()];
        reset();
    }

    /** Mini-batches per epoch. */
    public int batchesPerEpoch() {
        return (order.length + batch - 1) / batch;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batch);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished; call reset()");
        }
        int end = Math.min(order.length, cursor + num);
        int[] rows = Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        INDArray f = Nd4j.pullRows(data.features(), 1, rows);
        INDArray l = Nd4j.pullRows(data.labels(), 1, rows);
        DataSet ds = new DataSet(f, l);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** Starts a new epoch, in a new order when shuffling (Fisher–Yates with the seeded Random). */
    @Override
    public void reset() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        cursor = 0;
    }

    @Override
    public int inputColumns() {
        return data.inputs();
    }

    @Override
    public int totalOutcomes() {
        return data.classes();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
