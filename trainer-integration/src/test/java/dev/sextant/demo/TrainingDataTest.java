package dev.sextant.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which data a run gets: the synthetic task by request, by a one-line fallback, or an error. */
class TrainingDataTest {
    @TempDir
    Path empty;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void theDefaultDirectoryWithoutFilesFallsBackToTheSyntheticTaskInOneLine() throws Exception {
        TrainOptions defaults = TrainOptions.parse(List.of());
        TrainOptions o = new TrainOptions(defaults.steps(), defaults.epochs(), defaults.batch(),
                defaults.learningRate(), defaults.optimizer(), defaults.model(), empty, false, defaults.host(),
                defaults.port(), defaults.events(), defaults.every(), defaults.curvatureEvery(), defaults.noiseEvery(),
                defaults.seed(), null, 2, defaults.budget(), defaults.lrChanges(), defaults.workers());

        Path dir = TrainingData.resolve(o, out);
        TrainingData d = TrainingData.load(dir, o.seed());

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, printed.lines().count(), printed);
        assertTrue(printed.startsWith("Fashion-MNIST not found in " + empty), printed);
        assertEquals(TrainingData.SYNTHETIC_TRAIN, d.train().size());
        assertEquals(TrainingData.SYNTHETIC_TEST, d.test().size());
    }

    @Test
    void anExplicitDirectoryWithoutFilesIsAUsageError() throws Exception {
        TrainOptions o = TrainOptions.parse(List.of("--dataset", empty.toString()));

        UsageException e = assertThrows(UsageException.class, () -> TrainingData.resolve(o, out));

        assertTrue(e.getMessage().startsWith("--dataset: " + empty), e.getMessage());
    }

    @Test
    void syntheticOnRequestPrintsNothing() throws UsageException {
        assertEquals(null, TrainingData.resolve(TrainOptions.parse(List.of("--dataset", "synthetic")), out));

        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
