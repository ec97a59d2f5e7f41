package dev.sextant.bench;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;

/**
 * Memory of the JVM after a garbage collection: the used Java heap and the process's resident set.
 *
 * <p>ND4J's CPU backend allocates array buffers in its native library (neither JavaCPP's
 * {@code Pointer.totalBytes()} nor ND4J's {@code AllocationsTracker} counts them), so the off-heap
 * memory of parameter-sized buffers shows only in the resident set size,
 * {@code Pointer.physicalBytes()}. Run with {@code MALLOC_MMAP_THRESHOLD_=131072}: glibc then
 * maps every buffer of 128 KiB or more on its own and returns it when freed, so the resident set
 * follows the live buffers instead of keeping freed ones.
 *
 * <p>ND4J frees a buffer when its Java object is collected, on a deallocator thread;
 * {@link #settle()} therefore collects twice and waits briefly before reading.
 */
public final class MemoryMeter {
    private static final long SETTLE_MILLIS = 60;

    /**
     * @param heapBytes     used Java heap after collection
     * @param physicalBytes resident set size of the process ({@code Pointer.physicalBytes()}: heap, native buffers, code)
     * @param javacppBytes  native memory allocated through JavaCPP's tracked allocator ({@code Pointer.totalBytes()})
     */
    public record Reading(long heapBytes, long physicalBytes, long javacppBytes) {
        public static final Reading ZERO = new Reading(0, 0, 0);

        /** This reading minus {@code earlier}, field by field. */
        public Reading minus(Reading earlier) {
            return new Reading(heapBytes - earlier.heapBytes, physicalBytes - earlier.physicalBytes,
                    javacppBytes - earlier.javacppBytes);
        }

        /** Field-wise sum. */
        public Reading plus(Reading other) {
            return new Reading(heapBytes + other.heapBytes, physicalBytes + other.physicalBytes,
                    javacppBytes + other.javacppBytes);
        }

        /** Field-wise maximum. */
        public Reading max(Reading other) {
            return new Reading(Math.max(heapBytes, other.heapBytes), Math.max(physicalBytes, other.physicalBytes),
                    Math.max(javacppBytes, other.javacppBytes));
        }
    }

    private MemoryMeter() {
    }

    /** Collects garbage, lets ND4J's deallocators run, then reads. */
    public static Reading settle() {
        System.gc();
        pause();
        System.gc();
        pause();
        return read();
    }

    /** Reads without collecting. */
    public static Reading read() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Reading(heap, Pointer.physicalBytes(), Pointer.totalBytes());
    }

    private static void pause() {
        try {
            Thread.sleep(SETTLE_MILLIS / 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
