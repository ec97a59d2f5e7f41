package dev.sextant.javaagent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's settings: the three sources, their precedence (agent argument, then environment,
 * then system properties, then defaults) and the messages of settings that cannot be used.
 */
class AgentConfigTest {
    private static final LocalDateTime START = LocalDateTime.of(2024, 1, 2, 3, 4, 5);
    private static final Map<String, String> NONE = Map.of();

    private static AgentConfig resolve(String argument, Map<String, String> env, Map<String, String> props) {
        return AgentConfig.resolve(argument, env, props, START);
    }

    private static AgentConfig fromArgument(String argument) {
        return resolve(argument, NONE, NONE);
    }

    /** Resolving fails with a message containing every one of {@code parts}; returns the message. */
    private static String fails(String argument, Map<String, String> env, Map<String, String> props, String... parts) {
        AgentConfigException e = assertThrows(AgentConfigException.class, () -> resolve(argument, env, props));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
        return e.getMessage();
    }

    private static String fails(String argument, String... parts) {
        return fails(argument, NONE, NONE, parts);
    }

    @Test
    void withNothingGivenTheAgentsOwnOptionsHaveTheirDefaultsAndTheRestIsLeftToTheBuilder() {
        AgentConfig c = fromArgument(null);
        assertEquals("20240102-030405", c.runId(), "run id: the start time, yyyyMMdd-HHmmss");
        assertNull(c.modelPrefix(), "model labels from the network's class");
        assertEquals("127.0.0.1", c.host());
        assertEquals(9404, c.port());
        assertEquals(Path.of("sextant-events.jsonl"), c.eventLog());
        assertNull(c.basicAuth());
        assertFalse(c.https());
        assertEquals(new ListenerSettings(null, null, null, null, null, null, null, null, null, null, null), c.listener(),
                "not given: the builder's own defaults apply");
        assertEquals(fromArgument(""), fromArgument("  "), "a blank argument is no argument");
    }

    @Test
    void everyOptionIsReadFromTheAgentArgument() {
        AgentConfig c = fromArgument("runId=nightly-7,model=resnet,host=0.0.0.0,port=9500,eventLog=/data/run/ev.jsonl,"
                + "basicAuth=ann:s3:cr:et,https=false,profile=full,every=50,noiseEvery=100,sharpnessEvery=700,"
                + "traceEvery=2000,overheadBudget=0.05,fixedIntervals=true,probeDataType=float,history=0,"
                + "eventLogMaxBytes=64m,eventLogKeep=0");
        assertEquals("nightly-7", c.runId());
        assertEquals("resnet", c.modelPrefix());
        assertEquals("0.0.0.0", c.host());
        assertEquals(9500, c.port());
        assertEquals(Path.of("/data/run/ev.jsonl"), c.eventLog());
        assertEquals(new BasicCredentials("ann", "s3:cr:et"), c.basicAuth(), "only the first ':' separates");
        assertFalse(c.https());
        assertEquals(new ListenerSettings(ProbeProfile.FULL, 50, 100, 700, 2000, 0.05, true, ProbeDataType.FLOAT, 0,
                64L << 20, 0), c.listener());
    }

    @Test
    void environmentVariablesAndSystemPropertiesUseTheSameKeysInTheirOwnSpelling() {
        Map<String, String> env = Map.of("SEXTANT_EVENT_LOG_MAX_BYTES", "8k", "SEXTANT_RUN_ID", "from-env",
                "SEXTANT_PROBE_DATA_TYPE", "FLOAT", "PATH", "/usr/bin", "SEXTANTX", "not ours");
        Map<String, String> props = Map.of("sextant.eventLogKeep", "7", "sextant.basicAuth", "u:p",
                "java.version", "17", "sextantx", "not ours");
        AgentConfig c = resolve(null, env, props);
        assertEquals(8192L, c.listener().eventLogMaxBytes());
        assertEquals("from-env", c.runId());
        assertEquals(ProbeDataType.FLOAT, c.listener().probeDataType());
        assertEquals(7, c.listener().eventLogKeep());
        assertEquals(new BasicCredentials("u", "p"), c.basicAuth());
    }

    @Test
    void theAgentArgumentWinsOverTheEnvironmentWhichWinsOverSystemPropertiesWhichWinOverDefaults() {
        Map<String, String> env = Map.of("SEXTANT_PORT", "2222", "SEXTANT_EVERY", "20");
        Map<String, String> props = Map.of("sextant.port", "3333", "sextant.every", "30", "sextant.eventLogKeep", "9");
        AgentConfig c = resolve("port=1111", env, props);
        assertEquals(1111, c.port(), "argument over environment and system property");
        assertEquals(20, c.listener().every(), "environment over system property");
        assertEquals(9, c.listener().eventLogKeep(), "system property over default");
        assertEquals("127.0.0.1", c.host(), "default when no source names it");
        assertEquals(3333, resolve(null, NONE, props).port(), "system property alone");
        assertEquals(2222, resolve(null, env, props).port(), "environment over system property");
    }

    @Test
    void aBadValueInAHigherSourceIsReportedEvenIfALowerOneIsFine() {
        // The winning text is the one that is parsed: a typo in the argument is not masked by a good env var.
        fails("port=9o00", Map.of("SEXTANT_PORT", "9000"), NONE, "port=9o00", "-javaagent argument");
    }

    @Test
    void eachBadValueNamesTheOptionTheValueItsSourceAndWhatIsAllowed() {
        fails("port=abc", "port=abc", "in the -javaagent argument", "not a whole number", "1-65535", "-1");
        fails("port=70000", "port=70000", "out of range", "1-65535");
        fails("port=-2", "port=-2", "out of range");
        fails("every=0", "every=0", "at least 1");
        fails("every=2.5", "every=2.5", "not a whole number");
        fails("eventLogKeep=-1", "eventLogKeep=-1", "at least 0");
        fails("eventLogMaxBytes=4095", "eventLogMaxBytes=4095", "too small", "at least 4096");
        fails("eventLogMaxBytes=12q", "eventLogMaxBytes=12q", "not a byte count");
        fails("eventLogMaxBytes=99999999999g", "eventLogMaxBytes=99999999999g", "out of range");
        fails("probeDataType=half", "probeDataType=half", "double or float");
        fails("profile=most", "profile=most", "default or full");
        fails("noiseEvery=0", "noiseEvery=0", "at least 1");
        fails("sharpnessEvery=-5", "sharpnessEvery=-5", "at least 1");
        fails("traceEvery=x", "traceEvery=x", "not a whole number");
        fails("overheadBudget=0", "overheadBudget=0", "out of range", "(0, 1]");
        fails("overheadBudget=1.5", "overheadBudget=1.5", "out of range");
        fails("overheadBudget=NaN", "overheadBudget=NaN", "out of range");
        fails("overheadBudget=3%", "overheadBudget=3%", "not a number");
        fails("fixedIntervals=1", "fixedIntervals=1", "true or false");
        fails("history=-1", "history=-1", "0 for no live page");
        fails("history=1000001", "history=1000001", "0-1000000");
        fails("https=yes", "https=yes", "true or false");
        fails("model=my model", "model=my model", "letters, digits");
        fails("model=" + "m".repeat(57), "model=", "1-56 characters");
        fails("runId=" + "r".repeat(65), "runId=", "1-64 characters");
        fails("host= ", "host=", "empty");
        fails("eventLog=", "eventLog=", "empty", "or off");
        fails(null, Map.of("SEXTANT_EVERY", "ten"), NONE, "every=ten", "from environment variable SEXTANT_EVERY");
        fails(null, NONE, Map.of("sextant.port", "x"), "port=x", "from system property sextant.port");
    }

    @Test
    void aBadPasswordSettingNeverEchoesTheValue() {
        String m = fails("basicAuth=secretonly", "basicAuth", "user:password");
        assertFalse(m.contains("secretonly"), m);
        assertFalse(fails("basicAuth=:secret", "basicAuth").contains("secret"));
        assertFalse(fails("basicAuth=zed:", "basicAuth").contains("zed"), "not even the user name");
        assertEquals("ann:***", new BasicCredentials("ann", "pw").toString());
        assertFalse(fromArgument("basicAuth=ann:pw").toString().contains("pw"), "the config's toString hides it");
    }

    @Test
    void unknownNamesInAnySourceStopWithTheNearestKnownName() {
        fails("prot=9404", "unknown setting prot", "-javaagent argument", "did you mean port?", "known keys: port");
        fails(null, Map.of("SEXTANT_EVRY", "5"), NONE, "unknown setting SEXTANT_EVRY", "did you mean SEXTANT_EVERY?");
        fails(null, NONE, Map.of("sextant.evenLog", "x"), "unknown setting sextant.evenLog", "did you mean sextant.eventLog?");
        String far = fails("colour=blue", "unknown setting colour");
        assertFalse(far.contains("did you mean"), "no suggestion more than 2 edits away: " + far);
    }

    @Test
    void theArgumentMustBeKeyEqualsValuePairsEachGivenOnce() {
        fails("9404", "'9404'", "not key=value", "port=9404,every=50");
        fails("=5", "'=5'", "not key=value");
        fails("port=1,port=2", "port is given twice");
        assertEquals(5, fromArgument(" every = 5 ,, ").listener().every(), "spaces around keys and empty pieces are ignored");
    }

    @Test
    void byteCountsTakeBinarySuffixes() {
        assertEquals(4096L, fromArgument("eventLogMaxBytes=4096").listener().eventLogMaxBytes());
        assertEquals(4096L, fromArgument("eventLogMaxBytes=4k").listener().eventLogMaxBytes());
        assertEquals(3L << 20, fromArgument("eventLogMaxBytes=3M").listener().eventLogMaxBytes());
        assertEquals(2L << 30, fromArgument("eventLogMaxBytes=2g").listener().eventLogMaxBytes());
    }

    @Test
    void eachNetworkWritesItsOwnEventLogNamedAfterItsLabel() {
        assertEquals(Path.of("sextant-events-MultiLayerNetwork-1.jsonl"),
                fromArgument(null).eventLogFor("MultiLayerNetwork-1"));
        assertEquals(Path.of("/data/run/ev-ComputationGraph-2.jsonl"),
                fromArgument("eventLog=/data/run/ev.jsonl").eventLogFor("ComputationGraph-2"));
        assertEquals(Path.of("logs/events-m-1"), fromArgument("eventLog=logs/events").eventLogFor("m-1"),
                "no extension: the label is appended");
        assertEquals(Path.of("logs/.events-m-1"), fromArgument("eventLog=logs/.events").eventLogFor("m-1"),
                "a leading dot is not an extension");
        assertNull(fromArgument("eventLog=off").eventLog());
        assertNull(fromArgument("eventLog=OFF").eventLogFor("m-1"));
    }

    @Test
    void optionNamesFollowOneRuleInEachSource() {
        assertEquals("SEXTANT_PORT", AgentOption.PORT.environmentVariable());
        assertEquals("SEXTANT_RUN_ID", AgentOption.RUN_ID.environmentVariable());
        assertEquals("SEXTANT_EVENT_LOG_MAX_BYTES", AgentOption.EVENT_LOG_MAX_BYTES.environmentVariable());
        assertEquals("SEXTANT_PROBE_DATA_TYPE", AgentOption.PROBE_DATA_TYPE.environmentVariable());
        assertEquals("SEXTANT_BASIC_AUTH", AgentOption.BASIC_AUTH.environmentVariable());
        assertEquals("sextant.eventLogMaxBytes", AgentOption.EVENT_LOG_MAX_BYTES.systemProperty());
        for (AgentOption o : AgentOption.values()) {
            assertEquals(o, AgentOption.byEnvironmentVariable(o.environmentVariable()).orElseThrow());
            assertEquals(o, AgentOption.bySystemProperty(o.systemProperty()).orElseThrow());
            assertEquals(o, AgentOption.byKey(o.key()).orElseThrow());
        }
    }
}
