package dev.sextant.javaagent;

/**
 * Data type of the network copy on which probes evaluate extra gradients, named without ND4J so
 * the agent's configuration can be read before (or without) ND4J being loaded.
 */
public enum ProbeDataType {
    DOUBLE,
    FLOAT
}
