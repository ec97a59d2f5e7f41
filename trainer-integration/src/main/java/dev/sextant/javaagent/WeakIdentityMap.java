package dev.sextant.javaagent;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A map from objects, compared by identity ({@code ==}, not {@code equals}), to values; it does not
 * keep its keys alive: the entry of a key that was garbage-collected is dropped. Not thread-safe.
 */
final class WeakIdentityMap<K, V> {
    private final Map<IdentityKey, V> map = new HashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    V get(K key) {
        dropCollected();
        return map.get(new IdentityKey(key, null));
    }

    void put(K key, V value) {
        dropCollected();
        map.put(new IdentityKey(key, collected), value);
    }

    /** Entries whose key is still alive. */
    int size() {
        dropCollected();
        return map.size();
    }

    private void dropCollected() {
        for (Reference<?> r; (r = collected.poll()) != null; ) {
            map.remove(r);
        }
    }

    /** A weak reference equal to another one exactly when both refer to the same live object. */
    private static final class IdentityKey extends WeakReference<Object> {
        private final int hash;

        IdentityKey(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof IdentityKey k) || k.hash != hash) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == k.get();
        }
    }
}
