package dev.sextant.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Training steps run on a background thread, round robin, until {@link #close()}: one call of each
 * step, then a pause, again and again. The pause leaves the machine's second core to Prometheus
 * and the test's queries. A step that throws ends the loop; {@link #assertAlive()} and
 * {@link #close()} report it.
 */
final class TrainingLoop implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stop;

    private TrainingLoop(List<Runnable> steps, Duration pause) {
        this.thread = new Thread(() -> {
            try {
                while (!stop) {
                    for (Runnable step : steps) {
                        step.run();
                    }
                    rounds.incrementAndGet();
                    Thread.sleep(pause.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "training-loop");
        thread.setDaemon(true);
    }

    /** Starts calling {@code steps} in turn, pausing {@code pause} after each round. */
    static TrainingLoop start(Duration pause, Runnable... steps) {
        TrainingLoop loop = new TrainingLoop(List.of(steps), pause);
        loop.thread.start();
        return loop;
    }

    /** Completed rounds (each step called once per round). */
    long rounds() {
        return rounds.get();
    }

    /** Fails when a step threw or the loop stopped by itself. */
    void assertAlive() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("training failed after " + rounds() + " rounds", t);
        }
        if (!thread.isAlive() && !stop) {
            throw new AssertionError("the training loop ended after " + rounds() + " rounds");
        }
    }

    /** Stops after the current round and waits for it; rethrows what a step threw. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(60));
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError("training failed after " + rounds() + " rounds", t);
        }
    }
}
