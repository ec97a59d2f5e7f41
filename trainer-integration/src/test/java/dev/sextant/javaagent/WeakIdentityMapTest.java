package dev.sextant.javaagent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Keys by identity, held weakly. */
class WeakIdentityMapTest {

    @Test
    void equalButDistinctKeysAreDistinctEntries() {
        WeakIdentityMap<List<String>, String> map = new WeakIdentityMap<>();
        List<String> a = new ArrayList<>(List.of("x"));
        List<String> b = new ArrayList<>(List.of("x"));
        map.put(a, "A");
        assertEquals("A", map.get(a));
        assertNull(map.get(b), "equals() and hashCode() agree, identity does not");
        map.put(b, "B");
        assertEquals("A", map.get(a));
        assertEquals("B", map.get(b));
        assertEquals(2, map.size());
    }

    @Test
    void anEntryGoesWhenItsKeyIsCollected() throws Exception {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        Object kept = new Object();
        map.put(kept, "kept");
        map.put(new Object(), "dropped");
        // A collection is requested, not forced: ask repeatedly for up to 10 s (it takes one or two rounds).
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (map.size() > 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1, map.size(), "only the entry whose key is still referenced remains");
        assertEquals("kept", map.get(kept));
    }
}
