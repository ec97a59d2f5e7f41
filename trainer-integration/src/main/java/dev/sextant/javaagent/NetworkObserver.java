package dev.sextant.javaagent;

/**
 * Receives the DL4J networks the instrumentation sees. Its signature names no DL4J type, so the
 * hook that holds it loads without DL4J; the implementation is loaded at the first call.
 */
interface NetworkObserver {
    /** A {@code fit(...)} call of {@code network} begins. */
    void training(Object network);

    /** {@code setListeners(...)} of {@code network} has replaced its listener list. */
    void listenersReplaced(Object network);
}
