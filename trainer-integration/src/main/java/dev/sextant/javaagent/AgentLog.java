package dev.sextant.javaagent;

/**
 * The agent's own messages, on standard error with a {@code [sextant-agent]} prefix: the
 * application's logging may not be configured (or not exist) when the agent starts.
 */
final class AgentLog {
    private static final String PREFIX = "[sextant-agent] ";

    private AgentLog() {
    }

    static void info(String message) {
        System.err.println(PREFIX + message);
    }

    static void error(String message, Throwable cause) {
        System.err.println(PREFIX + message + (cause == null ? "" : ": " + cause));
    }
}
