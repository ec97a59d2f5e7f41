package dev.sextant.export;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogTest {
    static final MetricSpec NORM = MetricSpec.perParameter("sextant_weight_norm", null, "norm");
    static final MetricSpec LOSS = MetricSpec.global("sextant_loss", null, "loss");
    static final MetricSpec DURATION = MetricSpec.global("sextant_x_duration", "seconds", "time");

    @TempDir
    Path dir;

    @Test
    void eachSampleIsOneParsableJsonLineAndNonFiniteValuesStayNonFinite() throws Exception {
        Path file = dir.resolve("sub/events.jsonl");
        try (EventLog log = EventLog.open(file, "run-1", "m\"odel")) {
            log.probeTimed("weights", 7, 0.25);
            log.accept(new Sample("weights", 7, 1, 1000L, List.of(
                    new Reading(NORM, List.of("0", "W"), 2.5),
                    new Reading(LOSS, List.of(), Double.NaN),
                    new Reading(DURATION, List.of(), Double.NEGATIVE_INFINITY))));
            log.probeFailed("sharpness", 8, new IllegalStateException("bad\nthing"));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode sample = json.readTree(lines.get(0));
        assertEquals("sample", sample.get("event").asText());
        assertEquals("run-1", sample.get("run").asText());
        assertEquals("m\"odel", sample.get("model").asText());
        assertEquals(7, sample.get("step").asLong());
        assertEquals(1, sample.get("epoch").asInt());
        assertEquals(1000L, sample.get("time").asLong());
        assertEquals(0.25, sample.get("seconds").asDouble(), "the probe call's duration");
        JsonNode values = sample.get("values");
        assertEquals("sextant_weight_norm", values.get(0).get("metric").asText());
        assertEquals("0", values.get(0).get("layer").asText());
        assertEquals("W", values.get(0).get("param").asText());
        assertEquals(2.5, values.get(0).get("value").asDouble());
        assertEquals("NaN", values.get(1).get("value").asText());
        assertEquals("sextant_x_duration_seconds", values.get(2).get("metric").asText());
        assertEquals("-Infinity", values.get(2).get("value").asText());
        JsonNode failure = json.readTree(lines.get(1));
        assertEquals("probe_failure", failure.get("event").asText());
        assertTrue(failure.get("error").asText().contains("bad\nthing"));
    }

    @Test
    void reopeningAppends() throws Exception {
        Path file = dir.resolve("e.jsonl");
        for (int i = 0; i < 2; i++) {
            try (EventLog log = EventLog.open(file, "r", "m")) {
                log.accept(new Sample("p", i, 0, 0L, List.of(new Reading(LOSS, List.of(), i))));
            }
        }
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void anUnwritablePathFailsAtOpenNamingThePath() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> EventLog.open(notADir.resolve("events.jsonl"), "r", "m"));
        assertTrue(e.getMessage().contains(notADir.resolve("events.jsonl").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("choose a writable path"), e.getMessage());
    }

    @Test
    void rotatesAtTheSizeCapKeepingWholeLinesAndTheNewestFiles() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (EventLog log = EventLog.open(file, "r", "m", 4096, 2)) {
            for (int i = 0; i < 200; i++) {
                log.accept(new Sample("p", i, 0, 0L, List.of(new Reading(LOSS, List.of(), i))));
            }
            assertTrue(log.rotations() >= 2, "rotations " + log.rotations());
        }
        ObjectMapper json = new ObjectMapper();
        long lastStep = -1;
        // Oldest kept file first: every line parses, files are each under the cap, and steps continue across files.
        for (Path p : List.of(dir.resolve("r.jsonl.2"), dir.resolve("r.jsonl.1"), file)) {
            assertTrue(Files.size(p) <= 4096, p + " is " + Files.size(p) + " bytes");
            for (String line : Files.readAllLines(p)) {
                long step = json.readTree(line).get("step").asLong();
                if (lastStep >= 0) {
                    assertEquals(lastStep + 1, step, "no line lost or split between files");
                }
                lastStep = step;
            }
        }
        assertEquals(199, lastStep);
        assertTrue(Files.notExists(dir.resolve("r.jsonl.3")), "only two rotated files are kept");
    }

    @Test
    void aFullDiskIsCountedNotThrown() {
        // /dev/full accepts the open and fails every write with ENOSPC, like a full disk.
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "needs Linux /dev/full");
        try (EventLog log = EventLog.open(full, "r", "m")) {
            for (int i = 0; i < 3; i++) {
                log.accept(new Sample("p", i, 0, 0L, List.of(new Reading(LOSS, List.of(), i))));
            }
            assertEquals(3, log.writeErrors());
        }
    }
}
