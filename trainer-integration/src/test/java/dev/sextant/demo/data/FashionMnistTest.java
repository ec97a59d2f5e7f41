package dev.sextant.demo.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Images to features in [0, 1] and labels to one-hot rows, on small files written here. */
class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void pixelsAreScaledByOneOver255AndLabelsAreOneHot() throws IOException {
        // Three 2×2 images; 51/255 = 0.2 and 204/255 = 0.8 exactly in decimal, to float rounding.
        IdxFixtures.write(dir.resolve("img.gz"), IdxFixtures.idx(new int[] {3, 2, 2},
                IdxFixtures.unsigned(0, 255, 51, 204, 255, 255, 0, 0, 1, 2, 3, 4)), true);
        IdxFixtures.write(dir.resolve("lab"), IdxFixtures.idx(new int[] {3}, IdxFixtures.unsigned(9, 0, 4)), false);

        LabelledData d = FashionMnist.load(dir, "img", "lab", "tiny");

        assertArrayEquals(new long[] {3, 4}, d.features().shape());
        // float32 holds k/255 to a relative 6e-8; 1e-7 absolute covers it for values <= 1.
        float[] row0 = d.features().getRow(0).toFloatVector();
        assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.8f}, row0, 1e-7f);
        assertEquals(4 / 255f, d.features().getFloat(2, 3), 1e-7f);
        assertArrayEquals(new long[] {3, 10}, d.labels().shape());
        INDArray expected = Nd4j.zeros(d.labels().dataType(), 3, 10);
        expected.putScalar(0, 9, 1);
        expected.putScalar(1, 0, 1);
        expected.putScalar(2, 4, 1);
        assertEquals(expected, d.labels());
    }

    @Test
    void aLabelOutsideTheTenClassesNamesTheFileAndItem() throws IOException {
        IdxFixtures.write(dir.resolve("img"), IdxFixtures.idx(new int[] {2, 1, 1}, IdxFixtures.unsigned(1, 2)), false);
        Path lab = IdxFixtures.write(dir.resolve("lab"), IdxFixtures.idx(new int[] {2}, IdxFixtures.unsigned(3, 10)), false);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir, "img", "lab", "x"));

        assertEquals(lab, e.file());
        assertTrue(e.getMessage().contains("label 10 at item 1"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        IdxFixtures.write(dir.resolve("img"), IdxFixtures.idx(new int[] {2, 1, 1}, IdxFixtures.unsigned(1, 2)), false);
        IdxFixtures.write(dir.resolve("lab"), IdxFixtures.idx(new int[] {1}, IdxFixtures.unsigned(3)), false);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir, "img", "lab", "x"));

        assertTrue(e.getMessage().contains("1 labels for 2 images"), e.getMessage());
    }

    @Test
    void anEmptyDirectoryIsAbsentAndAMissingFileIsNamed() throws IOException {
        assertTrue(FashionMnist.absent(dir));
        IdxFixtures.write(dir.resolve(FashionMnist.TRAIN_IMAGES + ".gz"),
                IdxFixtures.idx(new int[] {1, 28, 28}, new byte[784]), true);
        assertFalse(FashionMnist.absent(dir));

        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FashionMnist.train(dir));

        assertTrue(e.getMessage().contains(FashionMnist.TRAIN_LABELS), e.getMessage());
    }

    @Test
    void debianTestSetHasTenThousandImagesAThousandPerClass() throws IOException {
        // The published test split is balanced: 1,000 images of each of the 10 classes (Xiao et al. 2017).
        assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR) && !FashionMnist.absent(FashionMnist.DEBIAN_DIR),
                "dataset-fashion-mnist is not installed");

        LabelledData test = FashionMnist.test(FashionMnist.DEBIAN_DIR);

        assertArrayEquals(new long[] {10_000, 784}, test.features().shape());
        assertArrayEquals(new double[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000},
                test.labels().sum(0).toDoubleVector(), 0);
        assertEquals(0.0, test.features().minNumber().doubleValue(), 0);
        assertEquals(1.0, test.features().maxNumber().doubleValue(), 0);
    }
}
