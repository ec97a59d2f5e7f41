package dev.sextant.javaagent;

/**
 * The one entry point the instrumented DL4J methods call. Public and static because the advice is
 * inlined into DL4J's classes; names only JDK types, so DL4J's class loader resolves it without the
 * agent touching DL4J. It never throws: a failure is reported once and the agent steps aside.
 */
public final class NetworkHook {
    private static volatile AgentConfig config;
    private static volatile NetworkObserver observer;
    private static volatile boolean disabled;

    private NetworkHook() {
    }

    /** Sets the configuration; the observer is created at the first network seen. */
    static void configure(AgentConfig agentConfig) {
        config = agentConfig;
    }

    /** Called at the start of every {@code fit(...)} of a MultiLayerNetwork or ComputationGraph. */
    public static void training(Object network) {
        NetworkObserver o = observer();
        if (o != null) {
            o.training(network);
        }
    }

    /** Called when {@code setListeners(...)} of a MultiLayerNetwork or ComputationGraph returns. */
    public static void listenersReplaced(Object network) {
        NetworkObserver o = observer();
        if (o != null) {
            o.listenersReplaced(network);
        }
    }

    private static NetworkObserver observer() {
        NetworkObserver o = observer;
        if (o != null || disabled) {
            return o;
        }
        synchronized (NetworkHook.class) {
            if (observer == null && !disabled && config != null) {
                try {
                    observer = ListenerAttacher.create(config);
                } catch (Throwable e) {
                    // DL4J or ND4J not reachable from the agent's class loader (an application loading DL4J in
                    // its own class loader), or Sextant's classes incomplete: stay out of the way from now on.
                    disabled = true;
                    AgentLog.error("cannot attach Sextant to DL4J networks in this JVM; training goes on unmonitored", e);
                }
            }
            return observer;
        }
    }
}
