package dev.sextant.javaagent;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Sextant agent's settings, resolved once at JVM start from, in this order (earlier wins):
 * <ol>
 *   <li>the agent argument, {@code -javaagent:sextant-agent.jar=port=9404,every=50};</li>
 *   <li>environment variables, {@code SEXTANT_PORT=9404};</li>
 *   <li>system properties, {@code -Dsextant.port=9404};</li>
 *   <li>the defaults ({@link AgentOption#defaultText()}).</li>
 * </ol>
 * An unknown key, environment variable or system property in Sextant's namespace ({@code SEXTANT_*},
 * {@code sextant.*}) is an error, like a value that does not parse: a typo must not let a long job run
 * unmonitored. Values in the agent argument cannot contain {@code ','}; pass such a value through the
 * environment or a system property.
 *
 * <p>Reads no ND4J or DL4J class: it is resolved before the application has loaded either.
 *
 * @param runId       run label shared by every network in the JVM
 * @param modelPrefix prefix of the model labels, or null for the network's class name
 * @param host        address the metrics server binds to
 * @param port        metrics port, 0 for any free port, -1 for none
 * @param eventLog    event-log path (each network writes its own file next to it), or null for none
 * @param basicAuth   credentials required by the metrics server, or null for none
 * @param https       whether to serve over HTTPS with the JVM's default SSL context
 * @param listener    the settings passed on to each listener's builder
 */
public record AgentConfig(String runId, String modelPrefix, String host, int port, Path eventLog,
                          BasicCredentials basicAuth, boolean https, ListenerSettings listener) {

    /** Longest label value the builder accepts. */
    private static final int LABEL_MAX = 64;
    private static final DateTimeFormatter RUN_ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * Resolves the settings from the three sources.
     *
     * @param agentArgument    the text after {@code =} in {@code -javaagent:jar=...}; null or blank for none
     * @param environment      environment variables (entries outside {@code SEXTANT_*} are ignored)
     * @param systemProperties system properties (entries outside {@code sextant.*} are ignored)
     * @param start            JVM start time, the default run id
     * @throws AgentConfigException naming the first option that cannot be used
     */
    public static AgentConfig resolve(String agentArgument, Map<String, String> environment,
                                      Map<String, String> systemProperties, LocalDateTime start) {
        Map<AgentOption, Setting> settings = new EnumMap<>(AgentOption.class);
        // Lowest precedence first; a later put() overwrites.
        for (Map.Entry<String, String> e : systemProperties.entrySet()) {
            if (e.getKey().startsWith("sextant.")) {
                AgentOption o = AgentOption.bySystemProperty(e.getKey()).orElseThrow(() -> unknown(
                        e.getKey(), "system property", e.getKey().substring("sextant.".length()),
                        AgentOption::systemProperty));
                settings.put(o, new Setting(o, e.getValue(), Setting.Source.SYSTEM_PROPERTY));
            }
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith("SEXTANT_")) {
                AgentOption o = AgentOption.byEnvironmentVariable(e.getKey()).orElseThrow(() -> unknown(
                        e.getKey(), "environment variable", camelCase(e.getKey().substring("SEXTANT_".length())),
                        AgentOption::environmentVariable));
                settings.put(o, new Setting(o, e.getValue(), Setting.Source.ENVIRONMENT));
            }
        }
        settings.putAll(parseArgument(agentArgument));

        Given g = new Given(settings);
        ListenerSettings listener = new ListenerSettings(
                g.map(AgentOption.PROFILE, s -> s.asEnum(ProbeProfile.class)),
                g.map(AgentOption.EVERY, s -> s.asInt(1, Integer.MAX_VALUE)),
                g.map(AgentOption.NOISE_EVERY, s -> s.asInt(1, Integer.MAX_VALUE)),
                g.map(AgentOption.SHARPNESS_EVERY, s -> s.asInt(1, Integer.MAX_VALUE)),
                g.map(AgentOption.TRACE_EVERY, s -> s.asInt(1, Integer.MAX_VALUE)),
                g.map(AgentOption.OVERHEAD_BUDGET, s -> s.asFraction(0, 1)),
                g.map(AgentOption.FIXED_INTERVALS, Setting::asBoolean),
                g.map(AgentOption.PROBE_DATA_TYPE, s -> s.asEnum(ProbeDataType.class)),
                g.map(AgentOption.HISTORY, s -> s.asInt(0, AgentOption.HISTORY_MAX)),
                g.map(AgentOption.EVENT_LOG_MAX_BYTES, s -> s.asBytes(4096)),
                g.map(AgentOption.EVENT_LOG_KEEP, s -> s.asInt(0, Integer.MAX_VALUE)));
        return new AgentConfig(
                g.or(AgentOption.RUN_ID, s -> s.asLabel(LABEL_MAX), start.format(RUN_ID_FORMAT)),
                g.map(AgentOption.MODEL, s -> s.asLabel(AgentOption.MODEL_PREFIX_MAX)),
                g.or(AgentOption.HOST, Setting::asNonBlank, "127.0.0.1"),
                g.or(AgentOption.PORT, s -> s.asInt(-1, 65535), 9404),
                g.or(AgentOption.EVENT_LOG, AgentConfig::eventLogPath, Path.of("sextant-events.jsonl")),
                g.map(AgentOption.BASIC_AUTH, Setting::asCredentials),
                g.or(AgentOption.HTTPS, Setting::asBoolean, false),
                listener);
    }

    /**
     * The event log of the network labelled {@code model}: the configured file name with
     * {@code -<model>} before its extension ({@code sextant-events.jsonl} gives
     * {@code sextant-events-MultiLayerNetwork-1.jsonl}), or null when the log is off. One file per
     * network: two event logs never append to one file.
     */
    public Path eventLogFor(String model) {
        if (eventLog == null) {
            return null;
        }
        String name = eventLog.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String perModel = dot > 0 ? name.substring(0, dot) + "-" + model + name.substring(dot) : name + "-" + model;
        return eventLog.resolveSibling(perModel);
    }

    /** One line for the agent's start-up message. */
    public String describe() {
        return "run " + runId
                + (port < 0 ? ", no metrics server" : ", metrics on " + host + ":" + (port == 0 ? "<any free port>" : port)
                + (https ? " (https)" : "") + (basicAuth != null ? " (basic auth)" : ""))
                + ", event log " + (eventLog == null ? "off" : eventLogFor("<model>"))
                + ", model labels " + (modelPrefix == null ? "<class>" : modelPrefix) + "-<n>"
                + given(", profile ", listener.profile()) + given(", every ", listener.every())
                + given(", overhead budget ", listener.overheadBudget())
                + (Boolean.TRUE.equals(listener.fixedIntervals()) ? ", fixed intervals" : "");
    }

    private static String given(String label, Object value) {
        return value == null ? "" : label + value.toString().toLowerCase(Locale.ROOT);
    }

    /** {@code key=value,key=value}: unknown keys, missing '=' and repeated keys are errors. */
    private static Map<AgentOption, Setting> parseArgument(String argument) {
        Map<AgentOption, Setting> out = new EnumMap<>(AgentOption.class);
        if (argument == null || argument.isBlank()) {
            return out;
        }
        for (String piece : argument.split(",")) {
            String p = piece.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new AgentConfigException("'" + p + "' in the -javaagent argument is not key=value; write e.g. "
                        + "-javaagent:sextant-agent.jar=port=9404,every=50 (keys: " + AgentOption.keys() + ")");
            }
            String key = p.substring(0, eq).trim();
            AgentOption o = AgentOption.byKey(key).orElseThrow(() -> unknown(key, "key in the -javaagent argument", key,
                    AgentOption::key));
            Setting s = new Setting(o, p.substring(eq + 1), Setting.Source.AGENT_ARGUMENT);
            if (out.put(o, s) != null) {
                throw new AgentConfigException(key + " is given twice in the -javaagent argument; give it once");
            }
        }
        return out;
    }

    private static Path eventLogPath(Setting s) {
        String v = s.asNonBlank();
        if (v.equalsIgnoreCase("off")) {
            return null;
        }
        try {
            Path p = Path.of(v);
            if (p.getFileName() == null) {
                throw s.invalid("no file name");
            }
            return p;
        } catch (java.nio.file.InvalidPathException e) {
            throw s.invalid("not a path (" + e.getReason() + ")");
        }
    }

    /**
     * @param name     the unknown name as given
     * @param kind     where it was given
     * @param asKey    the name turned into a key, to find the nearest known one
     * @param spelling how that option is spelt in the same place
     */
    private static AgentConfigException unknown(String name, String kind, String asKey,
                                                Function<AgentOption, String> spelling) {
        String hint = AgentOption.nearest(asKey).map(o -> "did you mean " + spelling.apply(o) + "? ").orElse("");
        return new AgentConfigException("unknown setting " + name + " (" + kind + "); " + hint
                + "known keys: " + AgentOption.keys()
                + " (environment variable SEXTANT_<KEY_IN_UPPER_SNAKE_CASE>, system property sextant.<key>)");
    }

    /** {@code EVENT_LOG_KEEP} → {@code eventLogKeep}, to suggest a key for a misspelt variable. */
    private static String camelCase(String upperSnake) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : upperSnake.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** The winning setting of each option, converted on demand. */
    private record Given(Map<AgentOption, Setting> settings) {
        /** The converted value, or null when the option was not given. */
        <T> T map(AgentOption o, Function<Setting, T> convert) {
            Setting s = settings.get(o);
            return s == null ? null : convert.apply(s);
        }

        <T> T or(AgentOption o, Function<Setting, T> convert, T otherwise) {
            T v = map(o, convert);
            return v == null && !settings.containsKey(o) ? otherwise : v;
        }
    }
}
