package dev.sextant.demo;

import dev.sextant.demo.data.FashionMnist;
import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.SyntheticClusters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training and test sets of a run: Fashion-MNIST from {@code --dataset}, or the synthetic
 * task when asked for ({@code --dataset synthetic}) or when the default directory has no files.
 *
 * @param train training examples
 * @param test  held-out examples for the final accuracy
 */
public record TrainingData(LabelledData train, LabelledData test) {
    /** Sizes of the synthetic task's sets. */
    static final int SYNTHETIC_TRAIN = 10_000;
    static final int SYNTHETIC_TEST = 2_000;

    /**
     * Where the data of a run comes from, decided without reading it: the Fashion-MNIST directory,
     * or {@code null} for the synthetic task. Prints one line when it falls back to the synthetic task.
     *
     * @throws UsageException when an explicitly given directory holds no Fashion-MNIST files
     */
    static Path resolve(TrainOptions o, PrintStream out) throws UsageException {
        Path dir = o.dataset();
        if (dir == null) {
            return null;
        }
        if (!Files.isDirectory(dir) || FashionMnist.absent(dir)) {
            if (o.datasetExplicit()) {
                throw new UsageException("--dataset: " + dir + " holds no Fashion-MNIST IDX files "
                        + "(train-images-idx3-ubyte[.gz], ...); give their directory, or --dataset synthetic");
            }
            out.println("Fashion-MNIST not found in " + dir + " (Debian: apt install dataset-fashion-mnist); "
                    + "training on the synthetic task: 10 Gaussian clusters in 784 dimensions");
            return null;
        }
        return dir;
    }

    /**
     * Reads Fashion-MNIST from {@code dir}, or makes the synthetic task when {@code dir} is null.
     *
     * @throws IOException when a file is there but unreadable or malformed (the message names it)
     */
    static TrainingData load(Path dir, long seed) throws IOException {
        if (dir == null) {
            return synthetic(seed);
        }
        return new TrainingData(FashionMnist.train(dir), FashionMnist.test(dir));
    }

    static TrainingData synthetic(long seed) {
        SyntheticClusters task = new SyntheticClusters(seed);
        return new TrainingData(task.sample("synthetic train", SYNTHETIC_TRAIN, 0),
                task.sample("synthetic test", SYNTHETIC_TEST, 1));
    }
}
