package dev.sextant.javaagent;

/**
 * A Sextant agent setting that cannot be used: the message names the option, the value, where the
 * value came from and what is allowed.
 */
public final class AgentConfigException extends IllegalArgumentException {
    public AgentConfigException(String message) {
        super(message);
    }
}
