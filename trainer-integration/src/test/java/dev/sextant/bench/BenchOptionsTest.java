package dev.sextant.bench;

import dev.sextant.demo.UsageException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of the benchmark: defaults, choices, and errors that name the flag. */
class BenchOptionsTest {

    @Test
    void defaultsRunEveryWorkloadAndVariantWithTheBaselineFirst() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of());
        assertEquals(List.of(Workload.MLP, Workload.CNN), o.workloads());
        assertEquals(List.of(Variant.values()), o.variants());
        assertEquals(Variant.NONE, o.variants().get(0));
        assertEquals(128, o.batch());
        assertEquals(null, o.out());
    }

    @Test
    void aSubsetOfVariantsAlwaysKeepsTheBaselineAndTheCanonicalOrder() throws UsageException {
        BenchOptions o = BenchOptions.parse(List.of("--variants", "sextant-full,dl4j-stats", "--workload", "cnn"));
        assertEquals(List.of(Variant.NONE, Variant.DL4J_STATS, Variant.SEXTANT_FULL), o.variants());
        assertEquals(List.of(Workload.CNN), o.workloads());
    }

    @Test
    void errorsNameTheFlag() {
        UsageException e = assertThrows(UsageException.class, () -> BenchOptions.parse(List.of("--steps", "0")));
        assertEquals("--steps: 0; must be at least 1", e.getMessage());
        e = assertThrows(UsageException.class, () -> BenchOptions.parse(List.of("--workload", "rnn")));
        assertEquals("--workload: 'rnn'; use mlp, cnn or all", e.getMessage());
        e = assertThrows(UsageException.class, () -> BenchOptions.parse(List.of("--steps", "4", "--repeats", "8")));
        assertTrue(e.getMessage().startsWith("--repeats 8 is more than --steps 4"), e.getMessage());
        e = assertThrows(UsageException.class, () -> BenchOptions.parse(List.of("--variants", "tensorboard")));
        assertTrue(e.getMessage().startsWith("--variants: 'tensorboard' is not a variant"), e.getMessage());
    }

}
