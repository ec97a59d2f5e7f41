package dev.sextant.web;

import dev.sextant.export.SampleSink;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last {@code capacity} samples, probe failures, interval changes and noted events (conditions),
 * in memory, for the live page:
 * a ring buffer that the training thread writes and HTTP threads read. When full, each new entry
 * replaces the oldest one, so memory stays bounded however long training runs.
 *
 * <p>Thread safety: every method takes this object's lock; a write stores one reference and a
 * read copies at most {@code capacity} references under it, so the training thread never waits for
 * a response being written to a slow client (entries are immutable and serialised outside the lock).
 *
 * <p>Memory: a history can keep only the metrics someone reads ({@link #forLivePage}: those the
 * page draws), so per-layer metrics the page does not show cost nothing.
 *
 * <p>The duration of a probe call ({@link #probeTimed}, which the runner reports just before the
 * call's sample or failure) is attached to that entry as {@link HistoryEntry#seconds()}.
 */
public final class SampleHistory implements SampleSink {
    /** Largest capacity accepted: a million entries. */
    public static final int MAX_CAPACITY = 1_000_000;

    private final HistoryEntry[] ring;
    /** Prometheus names of the metrics kept; null keeps every metric. */
    private final Set<String> metrics;
    /** Sequence number the next entry gets; entries {@code max(1, next - capacity) .. next - 1} are held. */
    private long next = 1;
    private final Map<String, Timing> pending = new HashMap<>();

    private record Timing(long step, double seconds) {
    }

    /** What a reader gets: the held entries after a sequence number, and where the ring stands. */
    public record Slice(long oldest, long newest, int capacity, List<HistoryEntry> entries) {
        /**
         * Entries the reader never saw because they were overwritten: those between its cursor
         * {@code after} and the oldest entry still held.
         */
        public long missedAfter(long after) {
            return oldest > 0 ? Math.max(0, oldest - 1 - after) : 0;
        }
    }

    /**
     * A history of every metric.
     *
     * @param capacity entries kept, 1 to {@value #MAX_CAPACITY}; a probe call makes one entry
     */
    public SampleHistory(int capacity) {
        this(capacity, null);
    }

    /**
     * A history of some metrics.
     *
     * @param capacity entries kept, 1 to {@value #MAX_CAPACITY}; a probe call makes one entry
     * @param metrics  Prometheus names of the metrics kept (other values of a sample are dropped); null for all
     */
    public SampleHistory(int capacity, Set<String> metrics) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("history: " + capacity + " samples; keep between 1 and "
                    + MAX_CAPACITY + " (or 0 in the listener's builder for no live page)");
        }
        this.ring = new HistoryEntry[capacity];
        this.metrics = metrics == null ? null : Set.copyOf(metrics);
    }

    /** A history of the metrics the live page draws ({@link Charts#metrics()}). */
    public static SampleHistory forLivePage(int capacity) {
        return new SampleHistory(capacity, Charts.metrics());
    }

    public int capacity() {
        return ring.length;
    }

    @Override
    public synchronized void accept(Sample sample) {
        add(new HistoryEntry(next, "sample", sample.probe(), sample.step(), sample.epoch(),
                sample.wallTimeMillis(), kept(sample.readings()), takeTiming(sample.probe(), sample.step()), null));
    }

    @Override
    public synchronized void probeTimed(String probe, long step, double seconds) {
        pending.put(probe, new Timing(step, seconds));
    }

    @Override
    public synchronized void probeFailed(String probe, long step, Throwable cause) {
        add(new HistoryEntry(next, "probe_failure", probe, step, -1, System.currentTimeMillis(),
                List.of(), takeTiming(probe, step), String.valueOf(cause)));
    }

    /** Recorded as the event log records it: {@code {"event":"interval","probe":...,"name":"<steps>"}}. */
    @Override
    public synchronized void intervalChanged(String probe, long step, int interval) {
        note("interval", probe, step, String.valueOf(interval));
    }

    /**
     * Records an event that is not a sample, as the event log's {@code note} does, e.g.
     * {@code note("condition", "sharpness", 120, "EDGE_OF_STABILITY")}.
     */
    public synchronized void note(String event, String probe, long step, String name) {
        add(new HistoryEntry(next, event, probe, step, -1, System.currentTimeMillis(), List.of(), Double.NaN, name));
    }

    /** The held entries with a sequence number above {@code after}, oldest first. */
    public Slice after(long after) {
        HistoryEntry[] copy;
        long oldest;
        long newest;
        synchronized (this) {
            newest = next - 1;
            oldest = Math.max(1, next - ring.length);
            if (newest < 1) {
                return new Slice(0, 0, ring.length, List.of());
            }
            long from = Math.max(oldest, after + 1);
            if (from > newest) {
                return new Slice(oldest, newest, ring.length, List.of());
            }
            copy = new HistoryEntry[(int) (newest - from + 1)];
            for (long s = from; s <= newest; s++) {
                copy[(int) (s - from)] = ring[index(s)];
            }
        }
        return new Slice(oldest, newest, ring.length, Arrays.asList(copy));
    }

    private List<Reading> kept(List<Reading> readings) {
        if (metrics == null) {
            return readings;
        }
        return readings.stream().filter(r -> metrics.contains(r.metric().prometheusName())).toList();
    }

    private double takeTiming(String probe, long step) {
        Timing t = pending.remove(probe);
        return t != null && t.step() == step ? t.seconds() : Double.NaN;
    }

    private void add(HistoryEntry entry) {
        ring[index(entry.seq())] = entry;
        next++;
    }

    private int index(long seq) {
        return (int) ((seq - 1) % ring.length);
    }
}
