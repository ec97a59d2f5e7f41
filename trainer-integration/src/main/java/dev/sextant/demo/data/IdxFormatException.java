package dev.sextant.demo.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that is not what its header or its role says: the message names the file and the fault. */
public final class IdxFormatException extends IOException {
    private final Path file;

    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
