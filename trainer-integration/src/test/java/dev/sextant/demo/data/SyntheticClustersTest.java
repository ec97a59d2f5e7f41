package dev.sextant.demo.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthetic task: reproducible, Fashion-MNIST's shapes, and learnable by a linear rule. */
class SyntheticClustersTest {

    @Test
    void theSameSeedGivesTheSameDataAndSplitsDiffer() {
        LabelledData a = new SyntheticClusters(3).sample("a", 50, 0);
        LabelledData b = new SyntheticClusters(3).sample("b", 50, 0);
        LabelledData test = new SyntheticClusters(3).sample("t", 50, 1);

        assertEquals(a.features(), b.features());
        assertEquals(a.labels(), b.labels());
        assertNotEquals(a.features(), test.features());
        assertArrayEquals(new long[] {50, 784}, a.features().shape());
        assertArrayEquals(new long[] {50, 10}, a.labels().shape());
        // One-hot: every row sums to exactly 1.
        assertEquals(Nd4j.ones(a.labels().dataType(), 50), a.labels().sum(1));
    }

    @Test
    void nearestCentroidOfTheTrainingSplitClassifiesTheTestSplit() {
        // Centres 8σ apart (s·sqrt(2·784) = 1.98 vs σ = 0.25): the pairwise error of the Bayes rule is
        // Φ(−3.96) ≈ 4e-5, so even with 9 rivals and centroids estimated from ~200 examples each
        // (their noise σ/sqrt(200) per pixel shifts the margin by ~2%) accuracy stays above 0.99.
        SyntheticClusters task = new SyntheticClusters(11);
        LabelledData train = task.sample("train", 2000, 0);
        LabelledData test = task.sample("test", 1000, 1);

        INDArray counts = train.labels().sum(0);                                      // [10]
        INDArray centroids = train.labels().transpose().mmul(train.features())        // [10, 784]
                .diviColumnVector(counts.reshape(10, 1));
        // argmin ||x − c||² = argmax (x·c − ||c||²/2)
        INDArray half = centroids.mul(centroids).sum(1).muli(0.5).reshape(1, 10);
        INDArray scores = test.features().mmul(centroids.transpose()).subiRowVector(half);
        double accuracy = Nd4j.argMax(scores, 1).eq(Nd4j.argMax(test.labels(), 1))
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();

        assertTrue(accuracy > 0.99, "nearest-centroid accuracy " + accuracy);
    }
}
