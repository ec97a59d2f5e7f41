package dev.sextant.report;

import dev.sextant.export.EventLog;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading event logs as the agent writes them, and refusing what is not one, with a reason. */
class EventLogReaderTest {
    static final MetricSpec NORM = MetricSpec.perParameter("sextant_weight_norm", null, "norm");
    static final MetricSpec LOSS = MetricSpec.global("sextant_loss", null, "loss");

    @TempDir
    Path dir;

    /** Three samples, a failure and a condition, written by the agent's own EventLog. */
    private Path agentLog() {
        Path file = dir.resolve("events.jsonl");
        try (EventLog log = EventLog.open(file, "r1", "mlp")) {
            for (int step = 0; step < 3; step++) {
                log.accept(new Sample("weights", step, 0, 1000L + step, List.of(
                        new Reading(NORM, List.of("0", "W"), 2.0 + step), new Reading(LOSS, List.of(),
                                step == 1 ? Double.NaN : 0.5))));
            }
            log.probeFailed("sharpness", 2, new IllegalStateException("no batch"));
            log.note("condition", "weights", 2, "NON_FINITE");
        }
        return file;
    }

    @Test
    void readsEveryLineTheAgentWritesWithLabelsAndNonFiniteValues() throws Exception {
        RunLog log = EventLogReader.read(agentLog());
        assertEquals(5, log.events().size());
        assertTrue(log.warnings().isEmpty(), log.warnings().toString());
        LogEvent first = log.events().get(0);
        assertEquals("sample", first.event());
        assertEquals("r1", first.run());
        assertEquals("mlp", first.model());
        assertEquals(1000L, first.time());
        assertEquals(new LoggedValue("sextant_weight_norm", Map.of("layer", "0", "param", "W"), 2.0), first.values().get(0));
        assertTrue(Double.isNaN(log.events().get(1).values().get(1).value()), "\"NaN\" is read as NaN");
        assertEquals("java.lang.IllegalStateException: no batch", log.events().get(3).text());
        assertEquals("NON_FINITE", log.events().get(4).text());
        assertEquals(List.of("r1"), log.runs());
    }

    @Test
    void aLastLineCutOffByACrashIsSkippedWithAWarning() throws Exception {
        Path file = agentLog();
        Files.writeString(file, "{\"event\":\"sample\",\"run\":\"r1\",\"model\":\"mlp\",\"step\":3,\"ep",
                StandardOpenOption.APPEND);
        RunLog log = EventLogReader.read(file);
        assertEquals(5, log.events().size(), "every complete line is kept");
        assertEquals(List.of("line 6 is incomplete (the run stopped while writing it): skipped"), log.warnings());
    }

    @Test
    void aMalformedLineInsideIsSkippedAndNamed() throws Exception {
        Path file = dir.resolve("m.jsonl");
        Files.writeString(file, """
                {"event":"sample","run":"r","model":"m","step":0,"values":[]}
                garbage
                {"event":"sample","run":"r","model":"m","step":1,"values":[]}
                """);
        RunLog log = EventLogReader.read(file);
        assertEquals(2, log.events().size());
        assertEquals(List.of("line 2 is not valid JSON: skipped"), log.warnings());
    }

    @Test
    void anEmptyFileIsRefusedAsEmpty() throws Exception {
        Path file = dir.resolve("empty.jsonl");
        Files.writeString(file, "");
        UnreadableLogException e = assertThrows(UnreadableLogException.class, () -> EventLogReader.read(file));
        assertEquals(file + " is empty: no events to report (the run has not written a sample yet, or this is not "
                + "the run's event log)", e.getMessage());
        Files.writeString(file, "\n  \n");
        assertTrue(assertThrows(UnreadableLogException.class, () -> EventLogReader.read(file)).getMessage()
                .contains("is empty"));
    }

    @Test
    void aFileWhoseFirstLineIsNotAnEventIsNotASextantLog() throws Exception {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "step,loss\n0,1.5\n");
        UnreadableLogException e = assertThrows(UnreadableLogException.class, () -> EventLogReader.read(csv));
        assertTrue(e.getMessage().startsWith(csv + " is not a Sextant event log: its first line is not valid JSON "
                + "(it starts with: step,loss)"), e.getMessage());

        Path other = dir.resolve("other.jsonl");
        Files.writeString(other, "{\"level\":\"INFO\",\"msg\":\"hello\"}\n");
        assertTrue(assertThrows(UnreadableLogException.class, () -> EventLogReader.read(other)).getMessage()
                .contains("its first line lacks \"event\", \"run\" or a whole-number \"step\""));

        Path binary = dir.resolve("image.png");
        Files.write(binary, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', (byte) 0xff, (byte) 0xfe});
        assertTrue(assertThrows(UnreadableLogException.class, () -> EventLogReader.read(binary)).getMessage()
                .contains("is not a Sextant event log"));
    }

    @Test
    void aMissingFileOrOnlyAnIncompleteLineSaySo() throws Exception {
        Path missing = dir.resolve("nope.jsonl");
        assertTrue(assertThrows(UnreadableLogException.class, () -> EventLogReader.read(missing)).getMessage()
                .startsWith(missing + " does not exist"));
        Path cut = dir.resolve("cut.jsonl");
        Files.write(cut, "{\"event\":\"sample\",\"ru".getBytes(StandardCharsets.UTF_8));
        assertEquals(cut + " holds no complete event (line 1 is incomplete (the run stopped while writing it): skipped)",
                assertThrows(UnreadableLogException.class, () -> EventLogReader.read(cut)).getMessage());
    }
}
