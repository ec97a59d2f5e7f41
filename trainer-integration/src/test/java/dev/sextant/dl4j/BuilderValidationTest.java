package dev.sextant.dl4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong configuration fails at build() with a message naming the field, the value and what is allowed. */
class BuilderValidationTest {

    @TempDir
    Path dir;

    private static void fails(Executable build, String... parts) {
        Exception e = assertThrows(RuntimeException.class, build);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void eachBadFieldIsNamed() {
        fails(() -> SextantListener.builder().port(70000).build(), "port:", "70000", "1-65535");
        fails(() -> SextantListener.builder().port(-2).build(), "port:", "-2");
        fails(() -> SextantListener.builder().every(0).port(-1).build(), "every:", "0", "at least 1");
        fails(() -> SextantListener.builder().runId("my run").port(-1).build(), "runId:", "'my run'", "letters, digits");
        fails(() -> SextantListener.builder().model("").port(-1).build(), "model:", "1-64 characters");
        fails(() -> SextantListener.builder().host(" ").port(-1).build(), "host:");
        fails(() -> SextantListener.builder().probeDataType(DataType.INT).port(-1).build(), "probeDataType:", "INT", "DOUBLE or FLOAT");
        fails(() -> SextantListener.builder().withoutDefaultProbes().port(-1).build(), "probe:", "no probes");
        fails(() -> SextantListener.builder().probe(null, 1), "probe:", "null");
        fails(() -> SextantListener.builder().port(-1).eventLog(null)
                .probe(new dev.sextant.probe.drift.WeightGeometryProbe(), 5).build(), "probe:", "'weights'", "unique");
    }

    @Test
    void aTakenPortFailsAtBuildAndLeavesNothingOpen() throws Exception {
        Path log = dir.resolve("never.jsonl");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            fails(() -> SextantListener.builder().port(taken.getLocalPort()).eventLog(log).build(),
                    String.valueOf(taken.getLocalPort()), "choose another port");
        }
        assertTrue(Files.notExists(log), "no half-started listener: the event log was not created");
    }

    @Test
    void anUnwritableEventLogFailsAtBuildAndStopsTheServer() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        fails(() -> SextantListener.builder().port(port).eventLog(file.resolve("e.jsonl")).build(),
                "event log", "choose a writable path");
        // The server started before the log failed was stopped: the port is free again.
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(again.isBound());
        }
    }
}
