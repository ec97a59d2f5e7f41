package dev.sextant.javaagent;

import dev.sextant.dl4j.SextantListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.Collection;

/**
 * Gives each DL4J network the instrumentation reports one {@link SextantListener}, added beside
 * the application's own listeners, at the network's first {@code fit(...)}; puts it back whenever
 * {@code setListeners(...)} or a later {@code fit(...)} finds it gone. Networks that are never
 * trained (copies for evaluation, models loaded for inference) get nothing.
 *
 * <p>Labels: the n-th network trained in the JVM is {@code <prefix>-<n>}, the prefix being the
 * {@code model} setting or the network's class ({@code MultiLayerNetwork-1},
 * {@code ComputationGraph-2}). The agent keys networks weakly, by identity, but the value it keeps
 * for a network is its listener, which references the network: a network the agent attached to
 * stays reachable until the JVM exits. (Holding the listener weakly would free it, but could also
 * lose it between a {@code setListeners(...)} that drops it and the next {@code fit(...)}.)
 */
final class ListenerAttacher implements NetworkObserver {
    /** What the agent did for one network: its listener, or null when building it failed (not retried). */
    private record Attachment(String model, SextantListener listener) {
    }

    private final AgentConfig config;
    private final ListenerFactory factory;
    private final WeakIdentityMap<Object, Attachment> attachments = new WeakIdentityMap<>();
    private int trained;
    private boolean warnedForeign;

    ListenerAttacher(AgentConfig config) {
        this.config = config;
        this.factory = new ListenerFactory(config);
    }

    /** The attacher for this JVM (called once, at the first network the instrumentation sees). */
    static NetworkObserver create(AgentConfig config) {
        return new ListenerAttacher(config);
    }

    @Override
    public synchronized void training(Object network) {
        Attachment a = attachments.get(network);
        if (a == null) {
            attach(network);
        } else {
            ensurePresent(network, a);
        }
    }

    @Override
    public synchronized void listenersReplaced(Object network) {
        Attachment a = attachments.get(network);
        if (a != null) {
            ensurePresent(network, a);
        }
    }

    /** The listener given to {@code network}, or null (never trained, or the attach failed). */
    synchronized SextantListener listenerOf(Object network) {
        Attachment a = attachments.get(network);
        return a == null ? null : a.listener();
    }

    /** The shared metrics endpoint's URL, or null before the first network or when serving is off. */
    synchronized String metricsUrl() {
        return factory.metricsUrl();
    }

    private void attach(Object network) {
        if (!(network instanceof Model model)) {
            // The network's DL4J classes come from a class loader the agent's loader cannot see.
            if (!warnedForeign) {
                AgentLog.info("a " + network.getClass().getName() + " from class loader "
                        + network.getClass().getClassLoader() + " is not the DL4J this agent sees; not attached");
                warnedForeign = true;
            }
            attachments.put(network, new Attachment(null, null));
            return;
        }
        String label = nextLabel(model);
        SextantListener listener;
        try {
            listener = factory.create(label);
        } catch (RuntimeException | LinkageError e) {
            // Recorded as failed, so the next fit() does not try (and report) again.
            attachments.put(network, new Attachment(label, null));
            AgentLog.error(label + ": Sextant could not start; this network trains unmonitored", e);
            return;
        }
        // Recorded before addListeners: ComputationGraph.addListeners calls setListeners, whose hook must find it.
        attachments.put(network, new Attachment(label, listener));
        try {
            model.addListeners(listener);
        } catch (RuntimeException | LinkageError e) {
            attachments.put(network, new Attachment(label, null));
            listener.close();
            AgentLog.error(label + ": could not add Sextant's listener; this network trains unmonitored", e);
            return;
        }
        AgentLog.info(label + ": attached (run " + config.runId() + ")"
                + (factory.metricsUrl() == null ? "" : ", metrics at " + factory.metricsUrl())
                + (listener.eventLogPath() == null ? "" : ", event log " + listener.eventLogPath().toAbsolutePath()));
    }

    private String nextLabel(Model model) {
        trained++;
        String prefix = config.modelPrefix() != null ? config.modelPrefix()
                : model instanceof ComputationGraph ? "ComputationGraph" : "MultiLayerNetwork";
        return prefix + "-" + trained;
    }

    private void ensurePresent(Object network, Attachment a) {
        if (a.listener() == null) {
            return;
        }
        Model model = (Model) network;
        try {
            if (!containsSame(listenersOf(model), a.listener())) {
                model.addListeners(a.listener());
            }
        } catch (RuntimeException | LinkageError e) {
            attachments.put(network, new Attachment(a.model(), null));
            AgentLog.error(a.model() + ": could not put Sextant's listener back; this network trains unmonitored", e);
        }
    }

    private static Collection<TrainingListener> listenersOf(Model model) {
        if (model instanceof MultiLayerNetwork n) {
            return n.getListeners();
        }
        if (model instanceof ComputationGraph g) {
            return g.getListeners();
        }
        return null;
    }

    private static boolean containsSame(Collection<TrainingListener> listeners, TrainingListener l) {
        if (listeners == null) {
            return false;
        }
        for (TrainingListener x : listeners) {
            if (x == l) {
                return true;
            }
        }
        return false;
    }
}
