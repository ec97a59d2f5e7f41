package dev.sextant.demo.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An unsigned-byte IDX file (the MNIST / Fashion-MNIST format), read whole, gzip'd or raw.
 *
 * <p>Format (LeCun et al., "THE MNIST DATABASE", file format section): a big-endian 32-bit magic
 * number {@code 0x0000TTDD} with type code {@code TT} ({@code 0x08} = unsigned byte) and
 * {@code DD} dimensions, then {@code DD} big-endian 32-bit sizes, then the values in row-major
 * order. Compression is detected from the gzip magic bytes {@code 1f 8b}, not from the name.
 *
 * @param file the path it was read from
 * @param dims the sizes of its dimensions
 * @param data the values, row-major, as stored (unsigned: read with {@code b & 0xFF})
 */
public record IdxFile(Path file, int[] dims, byte[] data) {
    /** IDX type code of unsigned bytes, the only type Fashion-MNIST uses. */
    static final int UNSIGNED_BYTE = 0x08;

    /** Number of items (the first dimension). */
    public int count() {
        return dims[0];
    }

    /** Values per item (the product of the other dimensions). */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /**
     * Reads {@code file}, which must hold unsigned bytes in {@code expectedDims} dimensions.
     *
     * @throws IdxFormatException naming the file when the magic number is wrong or the file is
     *                            shorter than its header says
     */
    public static IdxFile read(Path file, int expectedDims) throws IOException {
        try (InputStream in = open(file)) {
            DataInputStream d = new DataInputStream(in);
            int magic = readHeaderInt(d, file, "the magic number");
            int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
            if (magic != expectedMagic) {
                throw new IdxFormatException(file, String.format(
                        "bad magic number 0x%08X; expected 0x%08X (IDX, unsigned bytes, %d dimensions)",
                        magic, expectedMagic, expectedDims));
            }
            int[] dims = new int[expectedDims];
            long total = 1;
            for (int i = 0; i < expectedDims; i++) {
                dims[i] = readHeaderInt(d, file, "dimension " + (i + 1));
                if (dims[i] < 0) {
                    throw new IdxFormatException(file, "negative size " + dims[i] + " in dimension " + (i + 1));
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(file, "header announces " + total + " values, more than one array holds");
            }
            byte[] data = new byte[(int) total];
            int n = readFully(d, file, data);
            if (n < data.length) {
                throw new IdxFormatException(file, "truncated: the header announces " + describe(dims) + " = "
                        + total + " bytes of data, the file holds " + n);
            }
            return new IdxFile(file, dims, data);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    /** Reads up to {@code data.length} bytes; a gzip stream cut short counts as a truncated file. */
    private static int readFully(InputStream in, Path file, byte[] data) throws IOException {
        int n = 0;
        try {
            while (n < data.length) {
                int r = in.read(data, n, data.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return n;
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated: the compressed stream ends after " + n
                    + " of " + data.length + " bytes of data");
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip data after " + n + " bytes (" + e.getMessage() + ")");
        }
    }

    private static int readHeaderInt(DataInputStream d, Path file, String what) throws IOException {
        try {
            return d.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated: the file ends inside the header, at " + what);
        }
    }

    private static String describe(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxFile f && file.equals(f.file) && Arrays.equals(dims, f.dims)
                && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * file.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxFile[" + file + ", " + describe(dims) + "]";
    }
}
