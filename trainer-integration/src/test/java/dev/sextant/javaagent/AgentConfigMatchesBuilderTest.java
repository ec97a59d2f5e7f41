package dev.sextant.javaagent;

import dev.sextant.dl4j.SextantListener;
import dev.sextant.export.EventLog;
import dev.sextant.schedule.Profile;
import dev.sextant.web.SampleHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.Arrays;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agent checks its settings at JVM start, before DL4J is loaded, with its own rules; those
 * rules must accept exactly what {@link SextantListener.Builder} accepts, or a setting would pass at
 * start and fail at the first training step. Checked at both sides of every boundary.
 */
class AgentConfigMatchesBuilderTest {
    @TempDir
    Path dir;

    private static boolean agentAccepts(String argument) {
        try {
            AgentConfig.resolve(argument, Map.of(), Map.of(), LocalDateTime.of(2024, 1, 1, 0, 0));
            return true;
        } catch (AgentConfigException e) {
            return false;
        }
    }

    private static boolean builderAccepts(Consumer<SextantListener.Builder> setting) {
        SextantListener.Builder b = SextantListener.builder().port(-1).eventLog(null);
        try {
            setting.accept(b);
            b.build().close();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void agree(String argument, Consumer<SextantListener.Builder> sameSetting) {
        assertEquals(builderAccepts(sameSetting), agentAccepts(argument), argument);
    }

    @Test
    void portBoundaries() {
        // 0 and positive ports would bind: their acceptance is the same range check, shown at -1 and the ends.
        agree("port=-1", b -> b.port(-1));
        agree("port=-2", b -> b.port(-2));
        agree("port=65536", b -> b.port(65536));
    }

    @Test
    void intervalBoundaries() {
        agree("every=1", b -> b.every(1));
        agree("every=0", b -> b.every(0));
        agree("noiseEvery=1", b -> b.noiseEvery(1));
        agree("noiseEvery=0", b -> b.noiseEvery(0));
        agree("sharpnessEvery=1", b -> b.sharpnessEvery(1));
        agree("sharpnessEvery=0", b -> b.sharpnessEvery(0));
        agree("traceEvery=1", b -> b.traceEvery(1));
        agree("traceEvery=0", b -> b.traceEvery(0));
    }

    @Test
    void overheadBudgetBoundaries() {
        agree("overheadBudget=1", b -> b.overheadBudget(1));
        agree("overheadBudget=1.0000001", b -> b.overheadBudget(1.0000001));
        agree("overheadBudget=1e-9", b -> b.overheadBudget(1e-9));
        agree("overheadBudget=0", b -> b.overheadBudget(0));
        agree("overheadBudget=NaN", b -> b.overheadBudget(Double.NaN));
    }

    @Test
    void historyBoundaries() {
        agree("history=0", b -> b.history(0));
        agree("history=-1", b -> b.history(-1));
        agree("history=" + AgentOption.HISTORY_MAX, b -> b.history(AgentOption.HISTORY_MAX));
        agree("history=" + (AgentOption.HISTORY_MAX + 1), b -> b.history(AgentOption.HISTORY_MAX + 1));
    }

    @Test
    void everyProfileAndItsName() {
        // The agent names profiles without loading them; each name must be one of the builder's.
        assertEquals(Arrays.stream(Profile.values()).map(Enum::name).toList(),
                Arrays.stream(ProbeProfile.values()).map(Enum::name).toList());
        for (ProbeProfile p : ProbeProfile.values()) {
            agree("profile=" + p.name().toLowerCase(java.util.Locale.ROOT), b -> b.profile(Profile.valueOf(p.name())));
        }
    }

    @Test
    void theDocumentedDefaultsOfThePassedOnSettingsAreTheBuilders() {
        // The agent leaves these to the builder; the table must say what the builder does.
        Profile.Intervals d = Profile.Intervals.DEFAULTS;
        assertEquals(String.valueOf(d.every()), AgentOption.EVERY.defaultText());
        assertEquals(String.valueOf(d.noiseEvery()), AgentOption.NOISE_EVERY.defaultText());
        assertEquals(String.valueOf(d.sharpnessEvery()), AgentOption.SHARPNESS_EVERY.defaultText());
        assertEquals(String.valueOf(d.traceEvery()), AgentOption.TRACE_EVERY.defaultText());
        assertEquals(String.valueOf(EventLog.DEFAULT_KEEP), AgentOption.EVENT_LOG_KEEP.defaultText());
        assertEquals(EventLog.DEFAULT_MAX_BYTES, 256L << 20, "eventLogMaxBytes default 256m");
        assertEquals(SampleHistory.MAX_CAPACITY, AgentOption.HISTORY_MAX);
    }

    @Test
    void eventLogSizeAndKeepBoundaries() {
        // The builder checks these when it opens a log: give it one in the temp directory.
        Path log = dir.resolve("events.jsonl");
        agree("eventLogMaxBytes=4096", b -> b.eventLog(log).eventLogMaxBytes(4096));
        agree("eventLogMaxBytes=4095", b -> b.eventLog(log).eventLogMaxBytes(4095));
        agree("eventLogKeep=0", b -> b.eventLog(log).eventLogKeep(0));
        agree("eventLogKeep=-1", b -> b.eventLog(log).eventLogKeep(-1));
    }

    @Test
    void labelBoundaries() {
        agree("runId=" + "r".repeat(64), b -> b.runId("r".repeat(64)));
        agree("runId=" + "r".repeat(65), b -> b.runId("r".repeat(65)));
        agree("runId=a:b.c_d-e", b -> b.runId("a:b.c_d-e"));
        agree("runId=a/b", b -> b.runId("a/b"));
        // The agent appends -<n> to the model prefix: the longest prefix with a 7-digit n still fits.
        String prefix = "m".repeat(AgentOption.MODEL_PREFIX_MAX);
        agree("model=" + prefix, b -> b.model(prefix + "-1234567"));
        agree("model=a b", b -> b.model("a b-1"));
    }

    @Test
    void basicAuthNeedsBothParts() {
        agree("basicAuth=u:p", b -> b.basicAuth("u", "p"));
        agree("basicAuth=:p", b -> b.basicAuth("", "p"));
        agree("basicAuth=u:", b -> b.basicAuth("u", ""));
    }

    @Test
    void probeDataTypes() {
        agree("probeDataType=double", b -> b.probeDataType(DataType.DOUBLE));
        agree("probeDataType=float", b -> b.probeDataType(DataType.FLOAT));
        agree("probeDataType=half", b -> b.probeDataType(DataType.HALF));
    }
}
