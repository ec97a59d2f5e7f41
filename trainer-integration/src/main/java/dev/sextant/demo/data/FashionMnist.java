package dev.sextant.demo.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017) from the IDX files of Debian's
 * {@code dataset-fashion-mnist} package: 28×28 grey images of 10 clothing classes, 60,000 for
 * training and 10,000 for testing. Each file may be gzip'd ({@code .gz}, as Debian ships them)
 * or raw (the same name without {@code .gz}).
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int ROWS = 28;
    public static final int COLUMNS = 28;
    public static final int PIXELS = ROWS * COLUMNS;
    public static final int CLASSES = 10;

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private FashionMnist() {
    }

    /** True when {@code dir} holds none of the four files (the data is absent, not broken). */
    public static boolean absent(Path dir) {
        return find(dir, TRAIN_IMAGES).isEmpty() && find(dir, TRAIN_LABELS).isEmpty()
                && find(dir, TEST_IMAGES).isEmpty() && find(dir, TEST_LABELS).isEmpty();
    }

    /** The 60,000 training examples. */
    public static LabelledData train(Path dir) throws IOException {
        return load(dir, TRAIN_IMAGES, TRAIN_LABELS, "fashion-mnist train");
    }

    /** The 10,000 test examples. */
    public static LabelledData test(Path dir) throws IOException {
        return load(dir, TEST_IMAGES, TEST_LABELS, "fashion-mnist test");
    }

    /**
     * Reads an image file and its label file: features {@code [n, rows·columns]} scaled to
     * [0, 1] (pixel / 255), labels one-hot over 10 classes.
     */
    public static LabelledData load(Path dir, String imagesName, String labelsName, String name) throws IOException {
        IdxFile images = IdxFile.read(require(dir, imagesName), 3);
        IdxFile labels = IdxFile.read(require(dir, labelsName), 1);
        if (images.count() != labels.count()) {
            throw new IdxFormatException(labels.file(), labels.count() + " labels for " + images.count()
                    + " images in " + images.file());
        }
        return new LabelledData(name, pixels(images), oneHot(labels, CLASSES));
    }

    /** Unsigned bytes to floats in [0, 1], one row per item. */
    static INDArray pixels(IdxFile images) {
        byte[] b = images.data();
        float[] f = new float[b.length];
        // Decoding file bytes, once, at load time; training never loops over elements.
        for (int i = 0; i < b.length; i++) {
            f[i] = (b[i] & 0xFF) / 255f;
        }
        return Nd4j.create(f, new long[] {images.count(), images.itemSize()}, 'c');
    }

    /** Class indices to one-hot rows; a label outside [0, classes) is a format error naming the file. */
    static INDArray oneHot(IdxFile labels, int classes) throws IdxFormatException {
        byte[] b = labels.data();
        float[] f = new float[b.length * classes];
        for (int i = 0; i < b.length; i++) {
            int k = b[i] & 0xFF;
            if (k >= classes) {
                throw new IdxFormatException(labels.file(), "label " + k + " at item " + i
                        + " is not a class in 0.." + (classes - 1));
            }
            f[i * classes + k] = 1f;
        }
        return Nd4j.create(f, new long[] {b.length, classes}, 'c');
    }

    private static Path require(Path dir, String base) throws IOException {
        return find(dir, base).orElseThrow(() -> new java.io.FileNotFoundException(
                dir.resolve(base + ".gz") + " (or " + base + " uncompressed) is missing; the other "
                        + "Fashion-MNIST files are in " + dir + " (reinstall dataset-fashion-mnist or pass "
                        + "another --dataset)"));
    }

    private static Optional<Path> find(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return Optional.of(gz);
        }
        Path raw = dir.resolve(base);
        return Files.isRegularFile(raw) ? Optional.of(raw) : Optional.empty();
    }
}
