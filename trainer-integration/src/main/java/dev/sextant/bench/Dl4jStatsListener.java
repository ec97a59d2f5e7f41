package dev.sextant.bench;

import org.deeplearning4j.optimize.api.TrainingListener;

import java.lang.reflect.Constructor;

/**
 * DL4J's {@code StatsListener} with an {@code InMemoryStatsStorage}, both at their defaults, loaded
 * by name: their module ({@code deeplearning4j-ui-model}) is on the class path only in the
 * {@code bench} Maven profile, and the benchmark compiles and runs without it.
 */
public final class Dl4jStatsListener {
    static final String LISTENER = "org.deeplearning4j.ui.model.stats.StatsListener";
    static final String STORAGE = "org.deeplearning4j.ui.model.storage.InMemoryStatsStorage";
    static final String ROUTER = "org.deeplearning4j.core.storage.StatsStorageRouter";
    /** What the report says when the classes are absent. */
    public static final String NOT_ON_CLASSPATH = "StatsListener: not on the classpath, build with -Pbench";

    private Dl4jStatsListener() {
    }

    /** Whether the classes can be loaded. */
    public static boolean available() {
        try {
            Class.forName(LISTENER, false, Dl4jStatsListener.class.getClassLoader());
            Class.forName(STORAGE, false, Dl4jStatsListener.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * A new {@code new StatsListener(new InMemoryStatsStorage())}.
     *
     * @throws IllegalStateException with {@link #NOT_ON_CLASSPATH} when the classes are absent, or the cause
     */
    public static TrainingListener create() {
        try {
            ClassLoader loader = Dl4jStatsListener.class.getClassLoader();
            Object storage = Class.forName(STORAGE, true, loader).getConstructor().newInstance();
            Class<?> router = Class.forName(ROUTER, true, loader);
            Constructor<?> c = Class.forName(LISTENER, true, loader).getConstructor(router);
            return (TrainingListener) c.newInstance(storage);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new IllegalStateException(NOT_ON_CLASSPATH, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("StatsListener: cannot be created: " + e, e);
        }
    }
}
