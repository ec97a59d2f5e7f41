package dev.sextant.demo.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IDX reader on files written here by the format's definition (LeCun's MNIST page). */
class IdxFileTest {
    @TempDir
    Path dir;

    /** Two 2×3 "images" with the extreme and middle byte values, so unsigned reading is checked. */
    private static final int[] DIMS = {2, 2, 3};
    private static final byte[] VALUES = IdxFixtures.unsigned(0, 1, 127, 128, 254, 255, 9, 8, 7, 6, 5, 4);

    @Test
    void readsARawFileExactly() throws IOException {
        Path f = IdxFixtures.write(dir.resolve("images-idx3-ubyte"), IdxFixtures.idx(DIMS, VALUES), false);

        IdxFile idx = IdxFile.read(f, 3);

        assertArrayEquals(DIMS, idx.dims());
        assertArrayEquals(VALUES, idx.data());
        assertEquals(2, idx.count());
        assertEquals(6, idx.itemSize());
    }

    @Test
    void readsAGzipFileByItsMagicBytesNotItsName() throws IOException {
        // Named without .gz on purpose: compression is detected from the content.
        Path f = IdxFixtures.write(dir.resolve("images"), IdxFixtures.idx(DIMS, VALUES), true);

        IdxFile idx = IdxFile.read(f, 3);

        assertArrayEquals(DIMS, idx.dims());
        assertArrayEquals(VALUES, idx.data());
    }

    @Test
    void badMagicNumberIsAnErrorNamingTheFileAndBothNumbers() throws IOException {
        // A label file (1 dimension, magic 0x801) where an image file (0x803) is expected.
        Path f = IdxFixtures.write(dir.resolve("labels.gz"),
                IdxFixtures.idx(new int[] {3}, IdxFixtures.unsigned(1, 2, 3)), true);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(f, 3));

        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bad magic number 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
    }

    @Test
    void aFloatIdxFileIsRejectedByItsTypeCode() throws IOException {
        // Type code 0x0D (float) in the third magic byte: only unsigned bytes are read.
        Path f = IdxFixtures.write(dir.resolve("floats"), IdxFixtures.idx(0x00000D03, DIMS, VALUES), false);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(f, 3));

        assertTrue(e.getMessage().contains("0x00000D03"), e.getMessage());
    }

    @Test
    void truncatedDataIsAnErrorSayingHowMuchIsMissing() throws IOException {
        byte[] full = IdxFixtures.idx(DIMS, VALUES);
        Path f = IdxFixtures.write(dir.resolve("short"), Arrays.copyOf(full, full.length - 5), false);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(f, 3));

        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("2x2x3 = 12 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 7"), e.getMessage());
    }

    @Test
    void aFileEndingInsideTheHeaderIsTruncated() throws IOException {
        byte[] full = IdxFixtures.idx(DIMS, VALUES);
        Path f = IdxFixtures.write(dir.resolve("header"), Arrays.copyOf(full, 10), false);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(f, 3));

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("dimension 2"), e.getMessage());
    }

    @Test
    void aCutGzipStreamIsATruncatedFileNotAStackTrace() throws IOException {
        // 2000 values so the compressed stream is long enough to cut in the middle of the data.
        byte[] data = new byte[2000];
        new java.util.Random(7).nextBytes(data);
        byte[] gz = IdxFixtures.gzip(IdxFixtures.idx(new int[] {20, 10, 10}, data));
        Path f = dir.resolve("cut.gz");
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxFile.read(f, 3));

        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
