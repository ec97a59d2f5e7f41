package dev.sextant.bench;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The native memory an object holds: the bytes of every distinct ND4J buffer reachable from it
 * through instance fields, arrays, collections and maps, minus the buffers of objects it is told
 * to leave out (the training network: Sextant's views of its parameters are not Sextant's memory).
 *
 * <p>ND4J's CPU backend allocates its buffers natively and no counter attributes them to an
 * owner, so this walks the object graph instead. A view counts its whole underlying buffer, once.
 * JDK classes are entered only as collections, maps and arrays; metrics registries and loggers
 * (no arrays there) are not entered.
 */
final class BufferCensus {
    private static final String[] NOT_ENTERED = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "io.micrometer.",
            "io.prometheus.", "org.slf4j.", "org.HdrHistogram."};

    private final Set<Long> excluded;

    private BufferCensus(Set<Long> excluded) {
        this.excluded = excluded;
    }

    /**
     * A census that leaves out every buffer reachable from {@code leaveOut} without passing
     * through {@code except} (a network's listeners: what they hold is what is being counted).
     */
    static BufferCensus excluding(Object leaveOut, Collection<?> except) {
        IdentityHashMap<Object, Boolean> visited = new IdentityHashMap<>();
        except.forEach(o -> visited.put(o, Boolean.TRUE));
        Walk w = new Walk(Set.of(), visited);
        w.run(leaveOut);
        return new BufferCensus(w.seen);
    }

    /** Bytes of the distinct buffers reachable from {@code root}, except the excluded ones and those behind {@code stopAt}. */
    long bytes(Object root, Object... stopAt) {
        IdentityHashMap<Object, Boolean> visited = new IdentityHashMap<>();
        for (Object o : stopAt) {
            visited.put(o, Boolean.TRUE);
        }
        Walk w = new Walk(excluded, visited);
        w.run(root);
        return w.bytes;
    }

    private static final class Walk {
        final Set<Long> excluded;
        final IdentityHashMap<Object, Boolean> visited;
        final Set<Long> seen = new HashSet<>();
        long bytes;

        Walk(Set<Long> excluded, IdentityHashMap<Object, Boolean> visited) {
            this.excluded = excluded;
            this.visited = visited;
        }

        void run(Object root) {
            Deque<Object> todo = new ArrayDeque<>();
            push(todo, root);
            while (!todo.isEmpty()) {
                Object o = todo.pop();
                if (visited.put(o, Boolean.TRUE) != null) {
                    continue;
                }
                if (o instanceof INDArray a) {
                    if (!a.isEmpty()) {
                        count(a.data());
                    }
                } else if (o instanceof DataBuffer b) {
                    count(b);
                } else if (o instanceof Object[] array) {
                    for (Object e : array) {
                        push(todo, e);
                    }
                } else if (o instanceof Collection<?> c) {
                    c.forEach(e -> push(todo, e));
                } else if (o instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> {
                        push(todo, k);
                        push(todo, v);
                    });
                } else if (entered(o.getClass())) {
                    fields(o, todo);
                }
            }
        }

        private static void push(Deque<Object> todo, Object o) {
            if (o != null) {
                todo.push(o);
            }
        }

        private void count(DataBuffer b) {
            DataBuffer root = b;
            while (root.underlyingDataBuffer() != null && root.underlyingDataBuffer() != root) {
                root = root.underlyingDataBuffer();
            }
            long key = root.address();
            if (key == 0 || excluded.contains(key) || !seen.add(key)) {
                return;
            }
            bytes += root.length() * root.getElementSize();
        }

        private static boolean entered(Class<?> c) {
            if (c.isArray() || c.isPrimitive() || c.isEnum()) {
                return false;
            }
            String name = c.getName();
            for (String prefix : NOT_ENTERED) {
                if (name.startsWith(prefix)) {
                    return false;
                }
            }
            return true;
        }

        private static void fields(Object o, Deque<Object> todo) {
            for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        push(todo, f.get(o));
                    } catch (RuntimeException | IllegalAccessException e) {
                        // a field the module system keeps closed: holds no ND4J buffer of ours
                    }
                }
            }
        }
    }
}
