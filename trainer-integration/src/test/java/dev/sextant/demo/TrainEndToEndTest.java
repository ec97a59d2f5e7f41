package dev.sextant.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train} in-process for 30 steps on the synthetic task: it exits 0, serves metrics on a
 * free port, writes samples with their steps to the event log, and the loss goes down.
 */
class TrainEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void thirtyStepsOnTheSyntheticTaskLogSamplesAndLowerTheLoss() throws IOException {
        Path events = dir.resolve("events.jsonl");
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

        int code = SextantCli.standard().run(List.of("train", "--steps", "30", "--dataset", "synthetic",
                        "--port", "0", "--events", events.toString(), "--every", "5", "--run-id", "e2e",
                        "--seed", "3", "--budget", "off"),
                new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));

        String out = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(SextantCli.OK, code, out + errBytes.toString(StandardCharsets.UTF_8));
        assertTrue(out.matches("(?s).*metrics:   http://127\\.0\\.0\\.1:\\d+/metrics\n.*"), out);
        assertTrue(out.contains("event log: " + events.toAbsolutePath()), out);
        assertTrue(out.contains("done: 30 steps"), out);
        // The run's report is written next to its event log and its path printed.
        Path report = events.resolveSibling("events.html").toAbsolutePath();
        assertTrue(out.contains("report:    " + report), out);
        assertTrue(Files.readString(report).contains("<html"), "report is an HTML page");
        // The curvature and noise probes run at step 0 by default and reach the console digest.
        assertTrue(out.matches("(?s).*\\n  @0  .*sharpness \\d.*B_simple .*"), out);
        assertTrue(out.matches("(?s).*test accuracy: \\d\\.\\d{4} on synthetic test \\(2,000 examples\\).*"), out);

        ObjectMapper json = new ObjectMapper();
        List<Long> steps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        int weightSamples = 0;
        for (String line : Files.readAllLines(events)) {
            JsonNode e = json.readTree(line);
            assertEquals("e2e", e.get("run").asText());
            assertEquals("mlp", e.get("model").asText());
            if (!"sample".equals(e.get("event").asText())) {
                continue;
            }
            if ("weights".equals(e.get("probe").asText())) {
                weightSamples++;
            }
            if ("progress".equals(e.get("probe").asText())) {
                steps.add(e.get("step").asLong());
                for (JsonNode v : e.get("values")) {
                    if ("sextant_loss".equals(v.get("metric").asText())) {
                        losses.add(v.get("value").asDouble());
                    }
                }
            }
        }
        // --every 5 over steps 0..29: samples at 0, 5, ..., 25 for each of the listener's default probes.
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L), steps);
        assertEquals(6, weightSamples);
        assertEquals(6, losses.size());
        // The mini-batch loss starts near ln 10 = 2.30 (untrained softmax); with seed 3 the first two
        // samples average 2.42 and the last two (steps 20, 25) 1.91. The loss of one batch of 64 scatters
        // by ~0.06 around its trend (per-example spread ~0.5 / sqrt(64)), so a drop of more than 0.3
        // between the two pairs is learning, not noise; a run that does not learn fails it.
        double first = (losses.get(0) + losses.get(1)) / 2;
        double last = (losses.get(4) + losses.get(5)) / 2;
        assertTrue(last < first - 0.3, "loss " + losses);
    }

    @Test
    void aDivergingRunEndsWithASummaryNotAnException() {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        // SGD at lr 1e4 overflows within a few steps.
        int code = SextantCli.standard().run(List.of("train", "--steps", "20", "--dataset", "synthetic",
                        "--optimizer", "sgd", "--lr", "10000", "--port", "-1", "--curvature-every", "0",
                        "--noise-every", "0", "--events", dir.resolve("d.jsonl").toString()),
                new PrintStream(outBytes, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String out = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(SextantCli.OK, code, out);
        assertTrue(out.contains("test accuracy: not measured: training diverged"), out);
    }
}
