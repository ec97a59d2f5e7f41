package dev.sextant.javaagent;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One setting of the Sextant agent, under its three names: the key in the {@code -javaagent}
 * argument ({@code port}), the environment variable ({@code SEXTANT_PORT}) and the system property
 * ({@code sextant.port}). Each maps to the {@code SextantListener.Builder} method of the same name.
 */
public enum AgentOption {
    PORT("port", "9404", "1-65535, 0 for any free port, -1 to serve no metrics",
            "TCP port of /metrics (and the live page at /), one server per JVM for all networks"),
    HOST("host", "127.0.0.1", "an address of this machine, e.g. 127.0.0.1 or 0.0.0.0 (every interface)",
            "address the metrics server binds to"),
    RUN_ID("runId", "JVM start time, yyyyMMdd-HHmmss", "1-64 characters from letters, digits and _ . : -",
            "the run label on every series and event-log line, shared by the JVM's networks"),
    MODEL("model", "the network's class: MultiLayerNetwork or ComputationGraph",
            "1-" + AgentOption.MODEL_PREFIX_MAX + " characters from letters, digits and _ . : -",
            "prefix of the model label; the n-th network trained in the JVM is labelled <prefix>-<n>"),
    EVENT_LOG("eventLog", "sextant-events.jsonl", "a file path, or off",
            "JSON-lines event log, appended to; each network writes its own file, <name>-<model label>.<ext>"),
    EVENT_LOG_MAX_BYTES("eventLogMaxBytes", "256m", "bytes, at least 4096; suffix k, m or g for KiB, MiB, GiB",
            "size at which an event-log file is rotated"),
    EVENT_LOG_KEEP("eventLogKeep", "3", "a whole number, at least 0", "rotated event-log files kept"),
    PROFILE("profile", "default", "default or full",
            "which probes run: default (progress, weight geometry) or full (also gradient noise, sharpness, "
                    + "Hessian trace)"),
    EVERY("every", "10", "a whole number of steps, at least 1",
            "interval in steps of the progress and weight-geometry probes"),
    NOISE_EVERY("noiseEvery", "50", "a whole number of steps, at least 1",
            "full profile: interval of the gradient-noise and batch-sharpness probes"),
    SHARPNESS_EVERY("sharpnessEvery", "500", "a whole number of steps, at least 1",
            "full profile: interval of top-eigenvalue, preconditioned and SAM sharpness"),
    TRACE_EVERY("traceEvery", "1000", "a whole number of steps, at least 1",
            "full profile: interval of the Hessian trace"),
    OVERHEAD_BUDGET("overheadBudget", "0.03", "a fraction of training time in (0, 1], e.g. 0.03 for 3%",
            "Sextant's time budget; the most expensive probes' intervals are stretched to keep within it"),
    FIXED_INTERVALS("fixedIntervals", "false", "true or false",
            "true: every probe runs exactly at its interval, whatever it costs (no overhead budget)"),
    PROBE_DATA_TYPE("probeDataType", "double", "double or float",
            "data type of the network copy on which probes evaluate extra gradients"),
    HISTORY("history", "2000", "0-" + AgentOption.HISTORY_MAX + " samples; 0 for no live page",
            "probe calls the live page at / keeps in memory (the page shows the first network trained)"),
    BASIC_AUTH("basicAuth", "none", "user:password, both non-empty",
            "HTTP basic authentication required by the metrics server"),
    HTTPS("https", "false", "true or false; true needs -Djavax.net.ssl.keyStore and -Djavax.net.ssl.keyStorePassword",
            "serve over HTTPS with the JVM's default SSL context");

    /** Longest {@code model} prefix: a label is at most 64 characters and {@code -<n>} is appended. */
    static final int MODEL_PREFIX_MAX = 56;
    /** The live page's largest history (the builder's limit). */
    static final int HISTORY_MAX = 1_000_000;

    private final String key;
    private final String defaultText;
    private final String allowed;
    private final String meaning;

    AgentOption(String key, String defaultText, String allowed, String meaning) {
        this.key = key;
        this.defaultText = defaultText;
        this.allowed = allowed;
        this.meaning = meaning;
    }

    /** Key in the agent argument, e.g. {@code eventLogMaxBytes}. */
    public String key() {
        return key;
    }

    /** Environment variable, e.g. {@code SEXTANT_EVENT_LOG_MAX_BYTES}. */
    public String environmentVariable() {
        return "SEXTANT_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** System property, e.g. {@code sextant.eventLogMaxBytes}. */
    public String systemProperty() {
        return "sextant." + key;
    }

    /** The default, as a person reads it. */
    public String defaultText() {
        return defaultText;
    }

    /** What values are accepted, as a person reads it. */
    public String allowed() {
        return allowed;
    }

    /** What the option does. */
    public String meaning() {
        return meaning;
    }

    static Optional<AgentOption> byKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
    }

    static Optional<AgentOption> byEnvironmentVariable(String name) {
        return Arrays.stream(values()).filter(o -> o.environmentVariable().equals(name)).findFirst();
    }

    static Optional<AgentOption> bySystemProperty(String name) {
        return Arrays.stream(values()).filter(o -> o.systemProperty().equals(name)).findFirst();
    }

    /** Every key, comma-separated, for messages. */
    static String keys() {
        return Arrays.stream(values()).map(AgentOption::key).collect(Collectors.joining(", "));
    }

    /** The key nearest to a misspelt one (at most 2 edits, case ignored), to suggest in a message. */
    static Optional<AgentOption> nearest(String key) {
        AgentOption best = null;
        int bestDistance = 3;
        for (AgentOption o : values()) {
            int d = editDistance(o.key.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = o;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance (insertions, deletions, substitutions), by the two-row dynamic programme. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
