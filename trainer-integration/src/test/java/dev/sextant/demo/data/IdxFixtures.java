package dev.sextant.demo.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files by the format's definition, independently of the reader under test. */
final class IdxFixtures {
    private IdxFixtures() {
    }

    /** The bytes of an unsigned-byte IDX file: magic 0x000008DD, the sizes, the values. */
    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeInt(magic);
        for (int n : dims) {
            d.writeInt(n);
        }
        d.write(data);
        d.flush();
        return bytes.toByteArray();
    }

    static byte[] idx(int[] dims, byte[] data) throws IOException {
        return idx(0x00000800 | dims.length, dims, data);
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    static byte[] unsigned(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
