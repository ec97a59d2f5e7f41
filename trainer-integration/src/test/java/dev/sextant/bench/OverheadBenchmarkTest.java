package dev.sextant.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The entry point's contract: help, usage errors and the thread check, without training anything. */
class OverheadBenchmarkTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return OverheadBenchmark.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheFlagsAndExitsZero() {
        assertEquals(OverheadBenchmark.OK, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : new String[] {"--steps", "--warmup", "--repeats", "--workload", "--out", "--allow-threads"}) {
            assertTrue(help.contains(flag), "help names " + flag);
        }
    }

    @Test
    void aBadFlagExitsTwoNamingIt() {
        assertEquals(OverheadBenchmark.USAGE, run("--repeats", "many"));
        assertEquals("error: --repeats: 'many' is not an integer\n",
                err.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void onlyOneOpenMpThreadPassesTheThreadCheck() {
        assertNull(OverheadBenchmark.threadProblem("1"));
        assertTrue(OverheadBenchmark.threadProblem(null).startsWith("OMP_NUM_THREADS is unset"));
        assertTrue(OverheadBenchmark.threadProblem("2").startsWith("OMP_NUM_THREADS is '2'"));
    }
}
