package dev.sextant.dl4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.util.TreeSet;

/**
 * What executors report to the driver about a run, as Spark accumulators: they travel to the
 * executors inside {@link SparkSextantListener}, and Spark merges a task's additions into the
 * driver's values when the task completes (a failed task's are dropped).
 *
 * @param partitions training tasks (one partition each) that trained with Sextant attached
 * @param steps      mini-batch steps of those tasks
 * @param examples   examples in those mini-batches
 * @param executors  executor ids, each added once per executor JVM
 */
record RunCounters(LongAccumulator partitions, LongAccumulator steps, LongAccumulator examples,
                   CollectionAccumulator<String> executors) implements Serializable {

    /** New accumulators registered with {@code sc}, named after the run (Spark's UI shows them). */
    static RunCounters register(JavaSparkContext sc, String run) {
        return new RunCounters(sc.sc().longAccumulator("sextant partitions trained (" + run + ")"),
                sc.sc().longAccumulator("sextant steps (" + run + ")"),
                sc.sc().longAccumulator("sextant examples (" + run + ")"),
                sc.sc().collectionAccumulator("sextant executors (" + run + ")"));
    }

    /** The driver's view so far. */
    SparkRunSummary summary(String app, String run) {
        return new SparkRunSummary(app, run, new TreeSet<>(executors.value()), partitions.sum(), steps.sum(),
                examples.sum());
    }
}
