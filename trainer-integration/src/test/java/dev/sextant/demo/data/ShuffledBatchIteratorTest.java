package dev.sextant.demo.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Batches of a seeded shuffle: each epoch a permutation of all rows, reproducible from the seed. */
class ShuffledBatchIteratorTest {

    /** 10 examples whose single feature is their row index, and whose label is index mod 2. */
    private static LabelledData indexed() {
        INDArray x = Nd4j.arange(10).castTo(DataType.FLOAT).reshape(10, 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 10, 2);
        for (int i = 0; i < 10; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return new LabelledData("indexed", x, y);
    }

    /** The row indices of one epoch, batch by batch, checking that labels travel with their rows. */
    private static List<Integer> epoch(ShuffledBatchIterator it, List<Integer> batchSizes) {
        List<Integer> rows = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            batchSizes.add(ds.numExamples());
            for (int r = 0; r < ds.numExamples(); r++) {
                int index = ds.getFeatures().getInt(r, 0);
                rows.add(index);
                assertEquals(1, ds.getLabels().getInt(r, index % 2), "label of row " + index);
            }
        }
        return rows;
    }

    @Test
    void eachEpochVisitsEveryRowOnceInBatchesOfTheGivenSize() {
        ShuffledBatchIterator it = new ShuffledBatchIterator(indexed(), 4, new Random(1));
        List<Integer> sizes = new ArrayList<>();

        List<Integer> rows = epoch(it, sizes);

        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), rows.stream().sorted().toList());
        assertEquals(3, it.batchesPerEpoch());
        assertFalse(it.hasNext());
    }

    @Test
    void theSameSeedGivesTheSameOrderAndResetGivesANewOne() {
        ShuffledBatchIterator a = new ShuffledBatchIterator(indexed(), 3, new Random(5));
        ShuffledBatchIterator b = new ShuffledBatchIterator(indexed(), 3, new Random(5));

        List<Integer> first = epoch(a, new ArrayList<>());
        assertEquals(first, epoch(b, new ArrayList<>()));
        a.reset();
        List<Integer> second = epoch(a, new ArrayList<>());

        // 10! orders: a repeat by chance has probability 1/3,628,800 (and the seed is fixed anyway).
        assertNotEquals(first, second);
        assertEquals(first.stream().sorted().toList(), second.stream().sorted().toList());
    }

    @Test
    void withoutARandomTheStoredOrderIsKept() {
        ShuffledBatchIterator it = new ShuffledBatchIterator(indexed(), 6, null);

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch(it, new ArrayList<>()));
    }
}
