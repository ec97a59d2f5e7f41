package dev.sextant.web;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleHistoryTest {
    static final MetricSpec LOSS = MetricSpec.global("sextant_loss", null, "loss");

    static Sample sample(String probe, long step, double loss) {
        return new Sample(probe, step, 0, 1000L + step, List.of(new Reading(LOSS, List.of(), loss)));
    }

    @Test
    void keepsTheNewestCapacityEntriesOldestFirst() {
        SampleHistory h = new SampleHistory(3);
        for (int step = 0; step < 5; step++) {
            h.accept(sample("progress", step, step * 0.5));
        }
        SampleHistory.Slice all = h.after(0);
        // Five entries into a ring of three: seq 1 and 2 were overwritten, 3..5 remain.
        assertEquals(3, all.oldest());
        assertEquals(5, all.newest());
        assertEquals(List.of(3L, 4L, 5L), all.entries().stream().map(HistoryEntry::seq).toList());
        assertEquals(List.of(2L, 3L, 4L), all.entries().stream().map(HistoryEntry::step).toList());
        assertEquals(2.0, all.entries().get(2).readings().get(0).value(), 0.0);
        assertEquals(2, all.missedAfter(0), "a reader that saw nothing missed seq 1 and 2");
        assertEquals(0, all.missedAfter(2));
    }

    @Test
    void aReaderGetsOnlyWhatCameAfterItsCursor() {
        SampleHistory h = new SampleHistory(10);
        for (int step = 0; step < 4; step++) {
            h.accept(sample("progress", step, 1));
        }
        assertEquals(List.of(4L), h.after(3).entries().stream().map(HistoryEntry::seq).toList());
        assertTrue(h.after(4).entries().isEmpty());
        assertTrue(h.after(99).entries().isEmpty(), "a cursor past the newest entry gets nothing, not an error");
        assertEquals(4, h.after(4).newest());
    }

    @Test
    void anEmptyHistoryReportsNoEntries() {
        SampleHistory.Slice s = new SampleHistory(5).after(0);
        assertEquals(0, s.oldest());
        assertEquals(0, s.newest());
        assertEquals(5, s.capacity());
        assertTrue(s.entries().isEmpty());
        assertEquals(0, s.missedAfter(0));
    }

    @Test
    void aProbeCallsDurationIsAttachedToItsSampleOrFailureAndNotesAreKept() {
        SampleHistory h = new SampleHistory(10);
        h.probeTimed("weights", 7, 0.25);
        h.accept(sample("weights", 7, 1));
        h.probeTimed("sharpness", 7, 1.5);
        h.probeFailed("sharpness", 7, new IllegalStateException("no batch"));
        h.probeTimed("weights", 8, 0.5);
        h.accept(sample("weights", 9, 1)); // a timing of another step is not this sample's
        h.note("condition", "sharpness", 9, "EDGE_OF_STABILITY");
        h.intervalChanged("sharpness", 10, 40);

        List<HistoryEntry> e = h.after(0).entries();
        assertEquals(5, e.size());
        assertEquals("interval", e.get(4).event());
        assertEquals("40", e.get(4).text(), "the new interval, as the event log writes it");
        assertEquals(0.25, e.get(0).seconds(), 0.0);
        assertEquals("probe_failure", e.get(1).event());
        assertEquals(1.5, e.get(1).seconds(), 0.0);
        assertEquals("java.lang.IllegalStateException: no batch", e.get(1).text());
        assertTrue(Double.isNaN(e.get(2).seconds()));
        assertEquals("condition", e.get(3).event());
        assertEquals("EDGE_OF_STABILITY", e.get(3).text());
        assertNull(e.get(0).text());
    }

    @Test
    void aLivePageHistoryKeepsOnlyTheMetricsThePageDraws() {
        MetricSpec gradientNorm = MetricSpec.perParameter("sextant_gradient_norm", null, "not drawn");
        Sample s = new Sample("weights", 0, 0, 0L, List.of(new Reading(LOSS, List.of(), 1.0),
                new Reading(gradientNorm, List.of("0", "W"), 2.0)));
        SampleHistory live = SampleHistory.forLivePage(4);
        live.accept(s);
        assertEquals(List.of("sextant_loss"), live.after(0).entries().get(0).readings().stream()
                .map(r -> r.metric().name()).toList());
        SampleHistory everything = new SampleHistory(4);
        everything.accept(s);
        assertEquals(2, everything.after(0).entries().get(0).readings().size());
    }

    @Test
    void capacityMustBePositiveAndBounded() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new SampleHistory(0));
        assertTrue(zero.getMessage().startsWith("history: 0 samples"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SampleHistory(SampleHistory.MAX_CAPACITY + 1));
    }

    /**
     * The training thread writes while an HTTP thread reads: every read must be a run of
     * consecutive entries, each whole (its step matches its seq: the writer gives entry s step s-1),
     * never more than the capacity, and the reader's cursor must reach the last entry written.
     */
    @Test
    void readsWhileTrainingWritesAreConsistentSnapshots() throws Exception {
        SampleHistory h = new SampleHistory(64);
        int total = 200_000;
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int step = 0; step < total; step++) {
                    h.probeTimed("progress", step, 1e-6);
                    h.accept(sample("progress", step, step));
                }
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        }, "writer");
        writer.start();
        long cursor = 0;
        long reads = 0;
        while (cursor < total) {
            SampleHistory.Slice s = h.after(cursor);
            assertTrue(s.entries().size() <= 64, "a read holds at most the capacity");
            long expected = Math.max(cursor + 1, s.oldest());
            for (HistoryEntry e : s.entries()) {
                assertEquals(expected++, e.seq(), "consecutive sequence numbers");
                assertEquals(e.seq() - 1, e.step(), "an entry is read whole");
                assertEquals(1e-6, e.seconds(), 0.0);
            }
            if (!s.entries().isEmpty()) {
                cursor = s.newest();
            }
            reads++;
            if (!writer.isAlive() && writerFailure.get() != null) {
                break;
            }
        }
        writer.join();
        assertNull(writerFailure.get());
        assertEquals(total, cursor);
        assertTrue(reads > 1, "the reader ran while the writer wrote");
    }
}
