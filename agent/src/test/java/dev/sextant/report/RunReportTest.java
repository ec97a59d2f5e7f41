package dev.sextant.report;

import dev.sextant.export.EventLog;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import dev.sextant.probe.curvature.CurvatureMetrics;
import dev.sextant.probe.curvature.SharpnessProbe;
import dev.sextant.probe.drift.WeightGeometryProbe;
import dev.sextant.probe.progress.TrainingProgressProbe;
import dev.sextant.web.UPlotWebJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code report} command, from an event log written by the agent to one HTML file. */
class RunReportTest {
    private static final Pattern DATA = Pattern.compile(
            "<script id=\"sextant-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int report(String... args) {
        return RunReport.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Ten steps of run {@code run}: loss, weights of layer 0 and, every 5 steps, sharpness with
     * threshold 20 and ratio sharpness/20 (ratios 0.25 at step 0 and 0.75 at step 5).
     */
    private Path log(Path file, String run) {
        try (EventLog log = EventLog.open(file, run, "mlp")) {
            for (int step = 0; step < 10; step++) {
                log.accept(new Sample("progress", step, 0, 1000L + 100 * step, List.of(
                        new Reading(TrainingProgressProbe.LOSS, List.of(), 2.0 / (step + 1)),
                        new Reading(TrainingProgressProbe.LEARNING_RATE, List.of(), 0.1))));
                log.accept(new Sample("weights", step, 0, 1000L + 100 * step, List.of(
                        new Reading(WeightGeometryProbe.WEIGHT_NORM, List.of("0", "W"), 3 + 0.1 * step),
                        new Reading(WeightGeometryProbe.INIT_DISTANCE, List.of("0", "W"), 0.2 * step),
                        new Reading(WeightGeometryProbe.GRADIENT_NORM, List.of("0", "W"), 1))));
                if (step % 5 == 0) {
                    double sharpness = step == 0 ? 5 : 15;
                    log.accept(new Sample("sharpness", step, 0, 1000L + 100 * step, List.of(
                            new Reading(SharpnessProbe.SHARPNESS, List.of(), sharpness),
                            new Reading(CurvatureMetrics.STABILITY_THRESHOLD, List.of(), 20),
                            new Reading(CurvatureMetrics.EDGE_OF_STABILITY_RATIO, List.of(), sharpness / 20))));
                }
            }
            log.probeFailed("noise_scale", 4, new IllegalStateException("batch of 1 < 4 micro-batches"));
            log.note("condition", "sharpness", 5, "EDGE_OF_STABILITY");
            log.note("interval", "sharpness", 5, "10");
        }
        return file;
    }

    private JsonNode inlinedData(String html) throws Exception {
        Matcher m = DATA.matcher(html);
        assertTrue(m.find(), "the data is inlined");
        return new ObjectMapper().readTree(m.group(1));
    }

    @Test
    void writesOneSelfContainedHtmlFileWithTheSummaryAndTheChartData() throws Exception {
        Path events = log(dir.resolve("events.jsonl"), "r1");
        assertEquals(RunReport.OK, report(events.toString()));
        Path html = dir.resolve("events.html");
        assertEquals("report: wrote " + html + " (run r1, steps 0–9, 22 samples)\n", out());
        assertEquals("", err());
        String page = Files.readString(html);

        // Self-contained: uPlot, the page's script and style inlined; nothing loaded from anywhere.
        assertTrue(page.contains(UPlotWebJar.script()), "uPlot's script is inlined");
        assertTrue(page.contains(UPlotWebJar.style()), "uPlot's style sheet is inlined");
        assertFalse(page.contains("<script src="), "no external script");
        assertFalse(page.contains("<link"), "no external style sheet");
        assertFalse(page.contains("{{"), "every slot of the template is filled");

        // The summary: the ratio's final and peak (0.75 at step 5), the drift, the events.
        assertTrue(page.contains("<tr data-metric=\"sextant_edge_of_stability_ratio\"><td>sharpness / threshold</td>"
                + "<td class=\"num\">2</td><td class=\"num\">0.25 (step 0)</td><td class=\"num\">0.75 (step 5)</td>"
                + "<td class=\"num\">0.75 (step 5)</td><td class=\"num\">0.5</td><td class=\"num\">0</td></tr>"), page);
        assertTrue(page.contains("<tr><td>0</td><td>W</td><td class=\"num\">1.8 (step 9)</td><td class=\"num\">3.9</td>"
                + "<td class=\"num\">–</td></tr>"), "largest ||w - w0|| = 0.2 * 9");
        assertTrue(page.contains("<td>EDGE_OF_STABILITY</td>"));
        assertTrue(page.contains("java.lang.IllegalStateException: batch of 1 &lt; 4 micro-batches"), "escaped");
        assertTrue(page.contains("No gradient-noise probe ran in this run"));
        assertTrue(page.contains("This log records no probe durations"));
        assertTrue(page.contains("<li>sharpness: every 10 steps from step 5 (1 change)</li>"), "the governor's change");

        // The chart data: every line, with only the values a chart draws (not the gradient norm).
        JsonNode entries = inlinedData(page).get("entries");
        assertEquals(25, entries.size(), "22 samples, a failure, a condition and an interval change");
        assertEquals(List.of("sextant_weight_norm", "sextant_weight_init_distance"),
                List.of(entries.get(1).get("values").get(0).get("metric").asText(),
                        entries.get(1).get("values").get(1).get("metric").asText()));
        assertEquals(2, entries.get(1).get("values").size());
    }

    @Test
    void aLogCutOffByACrashIsReportedUpToItsLastCompleteLine() throws Exception {
        Path events = log(dir.resolve("crashed.jsonl"), "r1");
        Files.writeString(events, "{\"event\":\"sample\",\"run\":\"r1\",\"mo", StandardOpenOption.APPEND);
        assertEquals(RunReport.OK, report(events.toString(), "--out", dir.resolve("out/r.html").toString()));
        assertEquals("report: warning: line 26 is incomplete (the run stopped while writing it): skipped\n", err());
        assertTrue(out().contains("22 samples, 1 warning(s)"), out());
        String page = Files.readString(dir.resolve("out/r.html"));
        assertTrue(page.contains("<li>line 26 is incomplete (the run stopped while writing it): skipped</li>"));
        assertEquals(25, inlinedData(page).get("entries").size());
    }

    @Test
    void anEmptyFileOrAnotherFileGetsAClearMessageAndNoReport() throws Exception {
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        assertEquals(RunReport.BAD_INPUT, report(empty.toString()));
        assertTrue(err().startsWith("report: " + empty + " is empty: no events to report"), err());
        assertFalse(Files.exists(dir.resolve("empty.html")), "no report is written");

        errBytes.reset();
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "training notes\n");
        assertEquals(RunReport.BAD_INPUT, report(notes.toString()));
        assertTrue(err().startsWith("report: " + notes + " is not a Sextant event log: its first line is not valid JSON"),
                err());
        assertFalse(Files.exists(dir.resolve("notes.txt.html")));
    }

    @Test
    void anAppendedLogWithSeveralRunsReportsTheLastUnlessOneIsChosen() throws Exception {
        Path events = dir.resolve("e.jsonl");
        log(events, "first");
        log(events, "second");
        assertEquals(RunReport.OK, report(events.toString()));
        assertTrue(err().contains("holds 2 runs (first, second); reporting the last, second (choose another with --run)"),
                err());
        assertTrue(out().contains("(run second,"), out());

        outBytes.reset();
        assertEquals(RunReport.OK, report(events.toString(), "--run", "first", "--out", dir.resolve("f.html").toString()));
        assertTrue(out().contains("(run first,"), out());
        assertTrue(Files.readString(dir.resolve("f.html")).contains("<title>Sextant report · first · mlp</title>"));

        errBytes.reset();
        assertEquals(RunReport.BAD_INPUT, report(events.toString(), "--run", "third"));
        assertEquals("report: " + events + " has no run third; its runs: first, second\n", err());
    }

    @Test
    void helpAndWrongArguments() {
        assertEquals(RunReport.OK, report("--help"));
        assertTrue(out().startsWith("usage: report <events.jsonl> [--out report.html] [--run <id>]"), out());
        assertEquals(RunReport.USAGE, report());
        assertTrue(err().startsWith("report: give the event log to report\nusage:"), err());
        errBytes.reset();
        assertEquals(RunReport.USAGE, report("a.jsonl", "--colour"));
        assertTrue(err().startsWith("report: unknown option --colour"), err());
        errBytes.reset();
        assertEquals(RunReport.USAGE, report("a.jsonl", "--out"));
        assertTrue(err().startsWith("report: --out needs a value"), err());
    }

    @Test
    void theDefaultReportSitsBesideTheLog() {
        assertEquals(Path.of("runs/sextant-events.html"), RunReport.defaultTarget(Path.of("runs/sextant-events.jsonl")));
        assertEquals(Path.of("events.jsonl.1.html"), RunReport.defaultTarget(Path.of("events.jsonl.1")));
    }
}
