package dev.sextant.demo;

import dev.sextant.dl4j.SextantListener;

import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The {@link SextantListener} configuration of a demo run, taken from its options: model name,
 * metrics address, event log, probe intervals and families ({@link DemoProbes}), overhead budget
 * and run id. The same configuration serves one network and every ParallelWrapper worker.
 */
final class ListenerSettings {
    private final TrainOptions options;

    ListenerSettings(TrainOptions options) {
        this.options = options;
    }

    /** Applies the run's settings to {@code b} (no sink: the console digest is added by the caller). */
    SextantListener.Builder applyTo(SextantListener.Builder b) {
        b.model(options.model().flagValue())
                .host(options.host())
                .port(options.port())
                .eventLog(options.events())
                .every(options.every());
        DemoProbes.addTo(b, options);
        if (Double.isNaN(options.budget())) {
            b.fixedIntervals();
        } else {
            b.overheadBudget(options.budget());
        }
        if (options.runId() != null) {
            b.runId(options.runId());
        }
        return b;
    }

    /**
     * Runs {@code attach} (building a listener, or attaching to a wrapper), turning the errors of a
     * setting that cannot work (port taken, event log unwritable, a bad value) into a usage error.
     */
    static <T> T attach(Supplier<T> attach) throws UsageException {
        try {
            return attach.get();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
