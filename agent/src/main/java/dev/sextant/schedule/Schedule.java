package dev.sextant.schedule;

/**
 * When a probe runs: every {@code every} steps, at steps 0, every, 2·every, ...
 *
 * @param every interval in training steps, at least 1
 */
public record Schedule(int every) {
    public Schedule {
        if (every < 1) {
            throw new IllegalArgumentException("every = " + every + ": a probe interval must be at least 1 step");
        }
    }

    public static Schedule everyStep() {
        return new Schedule(1);
    }

    public static Schedule every(int steps) {
        return new Schedule(steps);
    }

    /** Whether the probe is due at {@code step}. */
    public boolean isDue(long step) {
        return step % every == 0;
    }
}
