package dev.sextant.javaagent;

/**
 * Which probes run, named without loading Sextant's probe classes (which need ND4J): the agent's
 * settings are read before ND4J is loaded. Maps by name to {@code dev.sextant.schedule.Profile}.
 */
public enum ProbeProfile {
    DEFAULT,
    FULL
}
