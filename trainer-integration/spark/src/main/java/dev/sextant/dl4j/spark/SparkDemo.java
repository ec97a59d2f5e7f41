package dev.sextant.dl4j.spark;

import dev.sextant.demo.Flag;
import dev.sextant.demo.FlagParser;
import dev.sextant.demo.Networks;
import dev.sextant.demo.OptimizerKind;
import dev.sextant.demo.UsageException;
import dev.sextant.demo.data.FashionMnist;
import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.ShuffledBatchIterator;
import dev.sextant.schedule.Profile;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real dl4j-spark run with Sextant attached: an MLP on Fashion-MNIST, parameter averaging on a
 * local Spark ({@code local[2]} by default, or any {@code --master}), every executor pushing to a
 * Pushgateway. Run it with {@code trainer-integration/spark/run-spark-demo.sh}, which sets the
 * JVM flags Spark needs on Java 17.
 */
public final class SparkDemo {
    static final int OK = 0;
    static final int USAGE = 2;
    static final int FAILED = 1;
    private static final FlagParser PARSER = new FlagParser(List.of(
            Flag.value("--pushgateway", "URL", "http://127.0.0.1:9091", "the Pushgateway every executor pushes to"),
            Flag.value("--master", "URL", "local[2]", "Spark master; local[N] trains with N workers in this JVM"),
            Flag.value("--dataset", "DIR", FashionMnist.DEBIAN_DIR.toString(), "Fashion-MNIST IDX files"),
            Flag.value("--examples", "N", "60000", "training examples used (the first N)"),
            Flag.value("--epochs", "N", "1", "passes over those examples"),
            Flag.value("--batch", "N", "32", "mini-batch size of each worker"),
            Flag.value("--averaging", "N", "5", "mini-batches each worker takes between parameter averagings"),
            Flag.value("--every", "N", "10", "Sextant's sampling interval in steps"),
            Flag.toggle("--full", "the full profile (gradient noise, sharpness, Hessian trace) instead of the default"),
            Flag.value("--run-id", "ID", "the Spark application id", "the run label"),
            Flag.value("--event-log-dir", "DIR", "none", "event logs of every executor and worker slot, kept even when the Pushgateway is down"),
            Flag.toggle("--help", "this text")));

    private SparkDemo() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the demo; returns the exit code (0 done, 1 failed, 2 bad flags). */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> f;
        try {
            f = PARSER.parse(args);
            if (f.containsKey("--help")) {
                out.println("usage: run-spark-demo.sh [flags]\nTrains an MLP on Fashion-MNIST with dl4j-spark (parameter"
                        + " averaging) and Sextant on every executor.\n\nflags:\n" + PARSER.help());
                return OK;
            }
            return train(new Options(f), out);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
    }

    private record Options(String pushgateway, String master, Path dataset, int examples, int epochs, int batch,
                           int averaging, int every, boolean full, String runId, String eventLogDir) {
        Options(Map<String, String> f) throws UsageException {
            this(f.getOrDefault("--pushgateway", "http://127.0.0.1:9091"), f.getOrDefault("--master", "local[2]"),
                    Path.of(f.getOrDefault("--dataset", FashionMnist.DEBIAN_DIR.toString())),
                    positive(f, "--examples", 60000), positive(f, "--epochs", 1), positive(f, "--batch", 32),
                    positive(f, "--averaging", 5), positive(f, "--every", 10), f.containsKey("--full"),
                    f.get("--run-id"), f.get("--event-log-dir"));
        }

        private static int positive(Map<String, String> f, String flag, int fallback) throws UsageException {
            String v = f.get(flag);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException(flag + ": '" + v + "'; give a whole number of at least 1, e.g. " + flag + " " + fallback);
        }

        SparkSettings settings() {
            SparkSettings s = SparkSettings.pushingTo(pushgateway).model("mlp").every(every)
                    .profile(full ? Profile.FULL : Profile.DEFAULT);
            if (runId != null) {
                s.runId(runId);
            }
            if (eventLogDir != null) {
                s.eventLogDir(eventLogDir);
            }
            return s;
        }
    }

    private static int train(Options o, PrintStream out) throws UsageException, IOException {
        if (FashionMnist.absent(o.dataset())) {
            throw new UsageException("--dataset: " + o.dataset() + " holds no Fashion-MNIST IDX files; install them"
                    + " (apt install dataset-fashion-mnist) or give their directory");
        }
        LabelledData all = FashionMnist.train(o.dataset());
        LabelledData test = FashionMnist.test(o.dataset());
        SparkConf conf = new SparkConf().setMaster(o.master()).setAppName("sextant-spark-demo")
                .setIfMissing("spark.ui.enabled", "false");
        if (o.master().startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            JavaRDD<DataSet> data = sc.parallelize(batches(all, Math.min(o.examples(), all.size()), o.batch()),
                    sc.defaultParallelism());
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(o.batch())
                    .batchSizePerWorker(o.batch()).averagingFrequency(o.averaging()).workerPrefetchNumBatches(2).build();
            OptimizerKind sgd = OptimizerKind.SGD;
            SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc,
                    Networks.mlp(sgd.updater(sgd.defaultLearningRate()), 42), master);
            SparkSextant sextant;
            try {
                sextant = SparkSextant.attach(sparkNet, o.settings());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            out.printf(Locale.ROOT, "training an MLP on %,d Fashion-MNIST examples with dl4j-spark on %s (%d workers,"
                            + " batch %d, averaging every %d), run %s%n", Math.min(o.examples(), all.size()), o.master(),
                    sc.defaultParallelism(), o.batch(), o.averaging(), sextant.runId());
            out.printf("metrics:   pushed to %s, group job=%s app=%s executor=<id> (per worker: worker=<task slot>)%n",
                    o.pushgateway(), SparkSettings.DEFAULT_JOB, sextant.applicationId());
            long start = System.nanoTime();
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "spark-demo-progress");
                t.setDaemon(true);
                return t;
            });
            progress.scheduleAtFixedRate(() -> out.printf(Locale.ROOT, "  %5.0f s  %s%n",
                    (System.nanoTime() - start) * 1e-9, sextant.summary()), 5, 5, TimeUnit.SECONDS);
            MultiLayerNetwork net = null;
            try {
                for (int epoch = 0; epoch < o.epochs(); epoch++) {
                    net = sparkNet.fit(data);
                }
            } finally {
                progress.shutdownNow();
                sextant.close();
            }
            double accuracy = net.evaluate(new ShuffledBatchIterator(test, 500, null)).accuracy();
            out.printf(Locale.ROOT, "done in %.1f s: %s%ntest accuracy: %.4f on %s (%,d examples)%n",
                    (System.nanoTime() - start) * 1e-9, sextant.summary(), accuracy, test.name(), test.size());
            return OK;
        }
    }

    /** The first {@code n} examples as mini-batches of {@code batch} (the last one may be smaller). */
    private static List<DataSet> batches(LabelledData data, int n, int batch) {
        List<DataSet> list = new ArrayList<>();
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            list.add(new DataSet(data.features().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup(),
                    data.labels().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup()));
        }
        return list;
    }
}
