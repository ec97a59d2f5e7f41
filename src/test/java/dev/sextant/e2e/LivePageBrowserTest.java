package dev.sextant.e2e;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.noise.GradientNoiseScaleProbe;
import dev.sextant.report.RunReport;
import dev.sextant.web.Charts;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A person opening the live page while a DL4J network trains sees every chart filled and
 * refreshing: headless Chromium loads {@code http://127.0.0.1:<port>/} from a real
 * {@link SextantListener}, and the DOM it leaves (the page writes the number of points it drew into
 * each chart's {@code data-points}) shows data in every panel, several answered polls that brought
 * new entries, and no error on the page or in Chromium's console. The run report made from the
 * run's event log afterwards draws the same charts from one file. Screenshots are saved as
 * {@code <build dir>/live-page.png} and {@code <build dir>/run-report.png}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LivePageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /**
     * Page time Chromium gives the page before dumping it: polls at 0, 2, ..., 10 s. Chromium runs
     * page time faster than real time while nothing is pending, so the polls are spread over less
     * real time; the test needs only two of the six to find new entries.
     */
    private static final int VIRTUAL_TIME_MILLIS = 11_000;
    /** Steps trained before the browser opens the page: the sharpness probe (every 5) has run twice. */
    private static final long STEPS_BEFORE_BROWSER = 12;
    private static final Pattern PANEL = Pattern.compile(
            "<section class=\"panel chart\" id=\"chart-([a-z_]+)\" data-points=\"(\\d+)\" data-series=\"(\\d+)\"");
    private static final Pattern STATUS = Pattern.compile("<p id=\"status\"([^>]*)>");

    @TempDir
    Path dir;

    @Test
    void everyChartFillsAndRefreshesWhileTrainingRunsWithoutPageErrors() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing (" + CHROMIUM + "): install it with `apt-get install chromium`"
                    + " (./run-tests.sh installs it)");
        }
        Path png = screenshot("live-page.png");
        Files.deleteIfExists(png);
        MultiLayerNetwork net = SmallClassifier.network(42, new Sgd(0.05));
        try (SextantListener sextant = SextantListener.builder().runId("browser").model("mlp").port(0).every(1)
                .eventLog(dir.resolve("events.jsonl")).fixedIntervals()
                .probe(SharpnessProbe.builder().maxIterations(10).build(), 5)
                .probe(GradientNoiseScaleProbe.withDefaults(), 2)
                .build()) {
            net.addListeners(sextant);
            Training training = Training.start(net);
            try {
                training.awaitSteps(STEPS_BEFORE_BROWSER);
                String url = sextant.pageUrl();
                assertEquals("http://127.0.0.1:" + sextant.port() + "/", url);

                Chromium dom = Chromium.run(dir, url, "--dump-dom");
                long stepsWhenBrowserEnded = training.steps();
                Chromium shot = Chromium.run(dir, url, "--screenshot=" + png, "--window-size=1400,1000");
                training.stop();

                String html = dom.stdout();
                assertTrue(html.contains("id=\"charts\""), () -> "not the live page:\n" + dom.describe());
                assertFalse(dom.stderr().contains("Uncaught"), dom::describe);
                assertFalse(dom.stderr().contains("Content Security Policy"), dom::describe);
                assertTrue(html.contains("id=\"page-errors\" data-count=\"0\""), () -> "errors on the page:\n" + html);

                // Every chart drew points. The run has every metric the charts ask for: progress and
                // weights every step, noise every 2, sharpness every 5 (fixed intervals: no overhead
                // governor stretching them), durations with each call.
                List<String> ids = new ArrayList<>();
                Matcher m = PANEL.matcher(html);
                while (m.find()) {
                    ids.add(m.group(1));
                    int points = Integer.parseInt(m.group(2));
                    int series = Integer.parseInt(m.group(3));
                    assertTrue(points > 0 && series > 0, "chart " + m.group(1) + ": " + points + " points in "
                            + series + " series");
                }
                assertEquals(Charts.all().stream().map(c -> c.id()).toList(), ids, "every chart is on the page");

                // Refreshing: the page's later polls brought entries the first one did not have.
                Matcher s = STATUS.matcher(html);
                assertTrue(s.find(), html);
                String status = s.group(1);
                System.out.println("live page status after " + VIRTUAL_TIME_MILLIS + " ms of page time:" + status);
                assertEquals("live", attribute(status, "data-state"), status);
                int updates = Integer.parseInt(attribute(status, "data-updates"));
                assertTrue(updates >= 2, "polls that brought new entries: " + updates + " (" + status + ")");
                long lastStep = Long.parseLong(attribute(status, "data-last-step"));
                assertTrue(lastStep > STEPS_BEFORE_BROWSER && lastStep < stepsWhenBrowserEnded,
                        "the page's last step " + lastStep + " was trained while it was open");

                assertTrue(Files.isRegularFile(png) && Files.size(png) > 20_000, () -> "screenshot " + png + "\n" + shot.describe());
            } finally {
                training.stop();
            }
            assertNull(training.failure.get(), "training failed");
        }
    }

    @Test
    void theRunReportOfATrainingRunDrawsItsChartsFromOneFile() throws Exception {
        Path png = screenshot("run-report.png");
        Files.deleteIfExists(png);
        Path events = dir.resolve("events.jsonl");
        MultiLayerNetwork net = SmallClassifier.network(42, new Sgd(0.05));
        try (SextantListener sextant = SextantListener.builder().runId("report").model("mlp").port(-1).every(1)
                .eventLog(events).fixedIntervals()
                .probe(SharpnessProbe.builder().maxIterations(10).build(), 5)
                .probe(GradientNoiseScaleProbe.withDefaults(), 2)
                .build()) {
            net.addListeners(sextant);
            List<DataSet> batches = SmallClassifier.batches(7, 16, 32);
            for (int step = 0; step < 40; step++) {
                net.fit(batches.get(step % batches.size()));
            }
        }
        Path report = dir.resolve("report.html");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RunReport.run(new String[]{events.toString(), "--out", report.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));

        // file:// and no server: everything the page needs is in the file.
        Chromium dom = Chromium.run(dir, report.toUri().toString(), "--dump-dom");
        Chromium.run(dir, report.toUri().toString(), "--screenshot=" + png, "--window-size=1400,2600");
        String html = dom.stdout();
        assertFalse(dom.stderr().contains("Uncaught"), dom::describe);
        assertTrue(html.contains("id=\"page-errors\" data-count=\"0\""), () -> "errors on the page:\n" + html);
        Matcher s = STATUS.matcher(html);
        assertTrue(s.find(), html);
        assertEquals("report", attribute(s.group(1), "data-state"));
        boolean durationsLogged = Files.readString(events).contains("\"seconds\":");
        Matcher m = PANEL.matcher(html);
        int charts = 0;
        while (m.find()) {
            charts++;
            int points = Integer.parseInt(m.group(2));
            if (m.group(1).equals("overhead") && !durationsLogged) {
                assertEquals(0, points, "no durations in the log, none drawn");
                continue;
            }
            assertTrue(points > 0, "chart " + m.group(1) + " has no points");
        }
        assertEquals(Charts.all().size(), charts);
        assertTrue(Files.isRegularFile(png) && Files.size(png) > 20_000, png::toString);
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(attributes);
        assertTrue(m.find(), name + " in " + attributes);
        return m.group(1);
    }

    /** {@code <build dir>/<name>}, next to this test's classes, so it outlives the test. */
    private static Path screenshot(String name) throws Exception {
        Path classes = Path.of(LivePageBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return classes.getParent().resolve(name);
    }

    /** One headless Chromium run against the page; its output kept for the assertions and failures. */
    private record Chromium(String stdout, String stderr, int exitCode) {
        static Chromium run(Path dir, String url, String... action) throws Exception {
            Path profile = Files.createTempDirectory(dir, "chromium-profile");
            List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                    "--virtual-time-budget=" + VIRTUAL_TIME_MILLIS));
            cmd.addAll(List.of(action));
            cmd.add(url);
            File out = dir.resolve(profile.getFileName() + ".out").toFile();
            File err = dir.resolve(profile.getFileName() + ".err").toFile();
            Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
            if (!p.waitFor(25, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("Chromium did not finish in 25 s: " + cmd + "\n" + Files.readString(err.toPath()));
            }
            Chromium c = new Chromium(Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8), p.exitValue());
            assertEquals(0, c.exitCode, c::describe);
            return c;
        }

        String describe() {
            return "exit " + exitCode + "\n--- stderr ---\n" + stderr + "\n--- stdout (first 4000 chars) ---\n"
                    + stdout.substring(0, Math.min(4000, stdout.length()));
        }
    }

    /** Fits seeded batches on a background thread until stopped. */
    private static final class Training {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong steps = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread;

        static Training start(MultiLayerNetwork net) {
            Training t = new Training();
            List<DataSet> batches = SmallClassifier.batches(7, 16, 32);
            t.thread = new Thread(() -> {
                try {
                    while (!t.stop.get()) {
                        net.fit(batches.get((int) (t.steps.get() % batches.size())));
                        t.steps.incrementAndGet();
                        Thread.sleep(20); // a few dozen steps per second: the page sees training move
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    t.failure.set(e);
                }
            }, "training");
            t.thread.start();
            return t;
        }

        long steps() {
            return steps.get();
        }

        void awaitSteps(long n) throws InterruptedException {
            while (steps.get() < n) {
                assertNull(failure.get(), "training failed");
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }
}
