package dev.sextant.demo.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classification data set in memory: float features, one row per example, and one-hot labels.
 *
 * @param name     what it is, for the console (e.g. {@code "fashion-mnist train"})
 * @param features {@code [n, 784]}, float, scaled to [0, 1] for images
 * @param labels   {@code [n, classes]}, one-hot, float
 */
public record LabelledData(String name, INDArray features, INDArray labels) {
    public LabelledData {
        if (features.rows() != labels.rows()) {
            throw new IllegalArgumentException(name + ": " + features.rows() + " feature rows but "
                    + labels.rows() + " label rows");
        }
    }

    /** Number of examples. */
    public int size() {
        return (int) features.rows();
    }

    /** Features per example. */
    public int inputs() {
        return (int) features.columns();
    }

    /** Number of classes. */
    public int classes() {
        return (int) labels.columns();
    }
}
