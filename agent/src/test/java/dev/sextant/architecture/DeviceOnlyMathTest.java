package dev.sextant.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPU readiness: the probes and the linear algebra keep parameter-sized arrays on the device and
 * move only scalars (or k-sized results, marked {@code // host: ...}) to the host. A call that
 * copies an array to the host, or reads or writes single elements, is allowed only on a line that
 * says so with that marker.
 */
class DeviceOnlyMathTest {
    private static final Pattern HOST_TRANSFER = Pattern.compile(
            "\\.to(Double|Float|Int|Long)(Vector|Matrix)\\(|\\.data\\(\\)\\.as|\\.(getDouble|getFloat|putScalar|getScalar)\\(|\\.dup\\('c'\\)\\.data\\(");
    private static final List<Path> DEVICE_PACKAGES = List.of(
            Path.of("src/main/java/dev/sextant/probe"), Path.of("src/main/java/dev/sextant/linalg"));

    @Test
    void probesAndLinearAlgebraMoveOnlyScalarsToTheHost() throws IOException {
        List<String> offending = new ArrayList<>();
        int files = 0;
        for (Path root : DEVICE_PACKAGES) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(p);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        String code = line.replaceAll("^\\s*(\\*|//).*", "");
                        if (HOST_TRANSFER.matcher(code).find() && !line.contains("// host:")) {
                            offending.add(p + ":" + (i + 1) + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertTrue(files > 20, "scanned " + files + " files: wrong working directory?");
        assertTrue(offending.isEmpty(), "host transfers without a '// host:' reason:\n" + String.join("\n", offending));
    }
}
