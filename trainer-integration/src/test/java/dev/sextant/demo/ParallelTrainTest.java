package dev.sextant.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --workers 2} on the synthetic task: two ParallelWrapper workers, one {@code /metrics}
 * with both workers' series and the workers' noise scale, and a summary that counts the mini-batches
 * of both workers across epochs.
 */
class ParallelTrainTest {
    @TempDir
    Path dir;

    /**
     * Batch 400 on the 10,000 synthetic examples: 25 mini-batches per epoch, so each epoch is 13 rounds
     * of 2 workers, the last with worker 0 alone. 55 steps = two epochs (50 steps, 26 rounds) and 5 steps
     * of the third (3 rounds): 29 rounds; worker 0 takes part in every round, so its last step is 28.
     */
    @Test
    void twoWorkersServeBothWorkersSeriesAndCountEveryMiniBatch() throws Exception {
        TrainOptions o = TrainOptions.parse(List.of("--workers", "2", "--steps", "55", "--batch", "400",
                "--dataset", "synthetic", "--port", "0", "--events", dir.resolve("e.jsonl").toString(),
                "--every", "1", "--curvature-every", "0", "--noise-every", "0", "--budget", "off",
                "--run-id", "pw", "--progress-seconds", "0"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicReference<String> scraped = new AtomicReference<>();

        TrainResult r = new Trainer(o, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                fitter -> scraped.set(scrape(fitter.sextant().metricsUrl()))).run();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(55, r.steps(), out);
        assertEquals(55 * 400, r.examples());
        assertEquals(29, r.rounds());
        assertEquals(2, r.epochs());
        assertTrue(out.contains("done: 55 steps in 29 rounds of 2 workers (epochs completed: 2)"), out);
        assertTrue(out.matches("(?s).*metrics:   http://127\\.0\\.0\\.1:\\d+/metrics\n"
                + "workers:   2 ParallelWrapper workers.*worker=\"0\"\\.\\.\"1\".*"), out);
        // --progress-seconds 0 prints every step: both workers' steps are counted once each, in order,
        // although their threads report concurrently.
        List<Long> printed = Pattern.compile("(?m)^step (\\d+)/55 ").matcher(out).results()
                .map(m -> Long.parseLong(m.group(1))).toList();
        assertEquals(LongStream.rangeClosed(1, 55).boxed().toList(), printed);

        String metrics = scraped.get();
        assertNotNull(metrics);
        assertTrue(metrics.contains("sextant_loss{model=\"mlp\",run=\"pw\",worker=\"0\"}"), metrics);
        assertTrue(metrics.contains("sextant_loss{model=\"mlp\",run=\"pw\",worker=\"1\"}"), metrics);
        assertFalse(metrics.contains("worker=\"2\""), "two workers: labels 0 and 1 only");
        assertFalse(metrics.contains("probe=\"parallel\""), "no failure inside Sextant's callbacks");
        assertEquals(28, gauge(metrics, "sextant_step", "worker=\"0\""));
        // Averaging after every round: every round after a fit's first starts from identical parameters
        // (the replica's copy at its thread start races with worker 0's first step), so the last complete
        // sampled round, round 1 of the third epoch's fit, is valid; the partial round after it is dropped.
        assertEquals(1.0, gauge(metrics, "sextant_worker_noise_scale_valid", "run=\"pw\""));
        double smoothed = gauge(metrics, "sextant_worker_gradient_noise_scale_smoothed_examples", "run=\"pw\"");
        assertTrue(Double.isFinite(smoothed), metrics);
    }

    /** Worker 0's listener serves the shared endpoint: a taken port stops the run before training, as with one network. */
    @Test
    void aTakenPortIsAUsageErrorBeforeTheWorkersStart() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = SextantCli.standard().run(List.of("--workers", "2", "--dataset", "synthetic", "--port",
                            Integer.toString(taken.getLocalPort()), "--events", dir.resolve("t.jsonl").toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(SextantCli.USAGE, code);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        String error = err.toString(StandardCharsets.UTF_8);
        assertTrue(error.contains("choose another port"), error);
        assertFalse(printed.contains("training "), printed);
    }

    private static String scrape(String url) {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of the first series of {@code name} whose labels contain {@code label}. */
    private static double gauge(String text, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            if (m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(name + " with " + label + " not in:\n" + text);
    }
}
