package dev.sextant.alert;

import dev.sextant.export.SampleSink;
import dev.sextant.probe.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the user's actions when a condition starts to hold (on the first sample that shows it, or
 * the second in a row for {@link Condition#EDGE_OF_STABILITY}), and again only after a sample has
 * shown it cleared. Actions run on the training thread; an
 * action that throws is logged (once per action) and counted, and training goes on.
 */
public final class ConditionWatcher implements SampleSink {
    private static final Logger LOG = LoggerFactory.getLogger(ConditionWatcher.class);

    private record Registered(Condition condition, ConditionAction action) {
    }

    private final List<Registered> actions = new ArrayList<>();
    private final Map<Condition, Boolean> holding = new EnumMap<>(Condition.class);
    private final Map<Condition, Integer> streak = new EnumMap<>(Condition.class);
    private final Consumer<ConditionEvent> onTriggered;
    private final List<ConditionAction> warned = new ArrayList<>();
    private long actionFailures;

    /** @param onTriggered told of every triggering (e.g. to write it to the event log), before the actions run */
    public ConditionWatcher(Consumer<ConditionEvent> onTriggered) {
        this.onTriggered = onTriggered;
    }

    public void add(Condition condition, ConditionAction action) {
        actions.add(new Registered(condition, action));
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** Actions that threw so far. */
    public synchronized long actionFailures() {
        return actionFailures;
    }

    @Override
    public synchronized void accept(Sample sample) {
        for (Condition c : Condition.values()) {
            if (!c.judges(sample)) {
                continue;
            }
            int run = c.holds(sample) ? streak.getOrDefault(c, 0) + 1 : 0;
            streak.put(c, run);
            boolean now = run >= c.consecutiveSamples();
            boolean before = holding.getOrDefault(c, false);
            holding.put(c, now);
            if (now && !before) {
                trigger(new ConditionEvent(c, sample.step(), sample));
            }
        }
    }

    private void trigger(ConditionEvent event) {
        onTriggered.accept(event);
        for (Registered r : actions) {
            if (r.condition != event.condition()) {
                continue;
            }
            try {
                r.action.on(event);
            } catch (Exception | LinkageError | AssertionError e) {
                actionFailures++;
                if (!warned.contains(r.action)) {
                    warned.add(r.action);
                    LOG.warn("Sextant action for {} threw at step {}; training goes on", event.condition(),
                            event.step(), e);
                }
            }
        }
    }
}
