package dev.sextant.dl4j.spark;

import java.util.Set;

/**
 * What the executors reported to the driver about a dl4j-spark run, through Spark accumulators
 * (so only from tasks that completed): see {@link SparkSextant#summary()}.
 *
 * @param app        the Spark application id
 * @param run        Sextant's run id
 * @param executors  ids of the executors on which tasks trained with Sextant attached
 * @param partitions training tasks (one partition each) that trained with Sextant attached
 * @param steps      mini-batch steps those tasks took, summed over all workers
 * @param examples   examples in those mini-batches
 */
public record SparkRunSummary(String app, String run, Set<String> executors, long partitions, long steps,
                              long examples) {

    @Override
    public String toString() {
        return "Sextant on Spark, app " + app + ", run " + run + ": " + executors.size() + " executor(s) "
                + executors + ", " + partitions + " partition(s) trained, " + steps + " steps, " + examples
                + " examples";
    }
}
