package dev.sextant.demo;

import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.ShuffledBatchIterator;
import dev.sextant.dl4j.SextantListener;
import dev.sextant.report.RunReport;
import dev.sextant.probe.progress.TrainingProgressProbe;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One training run of the demo: loads the data, builds the network, attaches a
 * {@link SextantListener} (metrics server, event log, console digest) and a
 * {@link BatchAccuracyListener}, trains until the step or epoch budget is spent, prints
 * progress, and evaluates on the held-out set. With {@code --workers N} (N ≥ 2) DL4J's
 * ParallelWrapper trains the network with N workers ({@link ParallelFitter}); the loop, the
 * progress, the summary and the report are the same.
 */
public final class Trainer {
    /** Steps averaged for the initial and final loss of the summary. */
    public static final int LOSS_WINDOW = 10;
    private static final int EVAL_BATCH = 500;

    private final TrainOptions options;
    private final PrintStream out;
    private final Consumer<Fitter> afterTraining;

    public Trainer(TrainOptions options, PrintStream out) {
        this(options, out, fitter -> { });
    }

    /** @param afterTraining sees the fitter after the summary, while Sextant still serves its metrics */
    Trainer(TrainOptions options, PrintStream out, Consumer<Fitter> afterTraining) {
        this.options = options;
        this.out = out;
        this.afterTraining = afterTraining;
    }

    /**
     * Runs training to the end.
     *
     * @throws UsageException when a setting cannot work (port taken, event log unwritable, no data in --dataset)
     * @throws IOException    when the data files are unreadable or malformed
     */
    public TrainResult run() throws IOException, UsageException {
        TrainOptions o = options;
        ProbeDigest digest = new ProbeDigest(Set.of(new TrainingProgressProbe().name()));
        BatchAccuracyListener accuracy = new BatchAccuracyListener();
        // Settings first: a missing dataset, a taken port or an unwritable log fail before seconds of loading.
        Path dataDir = TrainingData.resolve(o, out);
        MultiLayerNetwork net = Networks.build(o.model(), updater(o), o.seed());
        try (Fitter fitter = fitter(net, digest)) {
            TrainingData data = TrainingData.load(dataDir, o.seed());
            if (data.train().size() == 0 || data.test().size() == 0) {
                throw new IOException(data.train().name() + " / " + data.test().name() + ": a set has no examples");
            }
            out.printf(Locale.ROOT, "training %s (%,d parameters), %s lr %s, batch %d, seed %d, on %s (%,d examples)%n",
                    o.model().flagValue(), net.numParams(), o.optimizer().flagValue(),
                    ProbeDigest.number(o.learningRate()), o.batch(), o.seed(), data.train().name(), data.train().size());
            SextantListener sextant = fitter.sextant();
            out.println("metrics:   " + (sextant.metricsUrl() != null ? sextant.metricsUrl() : "off (--port -1)"));
            if (fitter.workers() > 1) {
                out.printf(Locale.ROOT, "workers:   %d ParallelWrapper workers, parameters averaged every round; series "
                                + "labelled worker=\"0\"..\"%d\",%n           the workers' gradient noise scale in "
                                + "sextant_worker_*; console, event log and report: worker 0%n",
                        fitter.workers(), fitter.workers() - 1);
            }
            out.println("event log: " + sextant.eventLogPath().toAbsolutePath());
            if (sextant.pageUrl() != null) {
                out.println("live page: " + sextant.pageUrl());
            }
            TrainResult result = train(fitter, net, data, digest, accuracy);
            afterTraining.accept(fitter);
            writeReport(sextant);
            return result;
        }
    }

    /**
     * One network, or ParallelWrapper's workers with {@code --workers N}, sampling the workers' noise
     * scale every {@code --every} rounds.
     */
    private Fitter fitter(MultiLayerNetwork net, ProbeDigest digest) throws UsageException {
        ListenerSettings settings = new ListenerSettings(options);
        if (options.workers() == 1) {
            return new SingleFitter(net, settings, digest);
        }
        return new ParallelFitter(net, options.workers(), settings, digest, options.every());
    }

    /**
     * Feeds the network epoch by epoch until the step or epoch budget is spent. With N workers a
     * fit takes the rest of the epoch (at most the steps left) and the wrapper deals it out N
     * mini-batches per round.
     */
    private TrainResult train(Fitter fitter, MultiLayerNetwork net, TrainingData data, ProbeDigest digest,
                              BatchAccuracyListener accuracy) {
        TrainOptions o = options;
        ShuffledBatchIterator batches = new ShuffledBatchIterator(data.train(), o.batch(), new Random(o.seed()));
        long budget = o.steps() > 0 ? o.steps() : (long) batches.batchesPerEpoch() * o.epochs();
        ProgressPrinter progress = new ProgressPrinter(out, o.progressSeconds(), digest, accuracy, budget,
                System::nanoTime);
        progress.legend(fitter.workers());
        StepRecorder steps = new StepRecorder(progress);
        fitter.addListeners(accuracy, steps);

        int epoch = 0;
        long start = System.nanoTime();
        while (epoch < o.epochs() && steps.steps() < budget) {
            if (epoch > 0) {
                batches.reset();
            }
            int left = (int) Math.min(budget - steps.steps(), Integer.MAX_VALUE);
            fitter.fit(new EarlyTerminationDataSetIterator(batches, left));
            if (!batches.hasNext()) {
                net.incrementEpochCount();
                epoch++;
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        steps.finish(net.getEpochCount());

        LabelledData test = data.test();
        // A diverged run has NaN or infinite parameters; DL4J's evaluation refuses NaN predictions.
        boolean finite = Double.isFinite(net.params().norm2Number().doubleValue());
        double testAccuracy = finite ? net.evaluate(new ShuffledBatchIterator(test, EVAL_BATCH, null)).accuracy() : Double.NaN;
        // Worker 0 trains the network in every round, one iteration per round.
        long rounds = fitter.workers() > 1 ? net.getIterationCount() : steps.steps();
        SextantListener sextant = fitter.sextant();
        TrainResult r = new TrainResult(steps.steps(), epoch, seconds, steps.examples(), steps.initialLoss(),
                steps.finalLoss(), testAccuracy, test.name(), test.size(), sextant.metricsUrl(), sextant.eventLogPath(),
                fitter.workers(), rounds);
        summary(r);
        return r;
    }

    private void summary(TrainResult r) {
        String rounds = r.workers() > 1
                ? String.format(Locale.ROOT, " in %d rounds of %d workers", r.rounds(), r.workers()) : "";
        out.printf(Locale.ROOT, "done: %d steps%s (epochs completed: %d) in %.1f s, %.0f examples/s; loss %.4f -> %.4f "
                        + "(mean of the first and last %d batches)%n",
                r.steps(), rounds, r.epochs(), r.seconds(), r.examples() / r.seconds(), r.initialLoss(), r.finalLoss(),
                Math.min(r.steps(), LOSS_WINDOW));
        if (Double.isNaN(r.testAccuracy())) {
            out.println("test accuracy: not measured: training diverged (the parameters hold NaN or infinite values)");
        } else {
            out.printf(Locale.ROOT, "test accuracy: %.4f on %s (%,d examples)%n", r.testAccuracy(), r.testName(),
                    r.testSize());
        }
        out.println("event log: " + r.eventLog().toAbsolutePath());
    }

    /** Turns this run's part of the event log into the HTML report next to it, and prints its path. */
    private void writeReport(SextantListener sextant) {
        Path log = sextant.eventLogPath().toAbsolutePath();
        String name = log.getFileName().toString();
        Path html = log.resolveSibling((name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name) + ".html");
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(messages, true, StandardCharsets.UTF_8);
        int code = RunReport.run(new String[] {log.toString(), "--out", html.toString(), "--run", sextant.runId()},
                quiet, quiet);
        if (code == 0) {
            out.println("report:    " + html);
        } else {
            out.println("report:    not written: " + messages.toString(StandardCharsets.UTF_8).trim());
        }
    }

    /**
     * The optimizer at {@code --lr}, switching rates at the steps of {@code --lr-at}. DL4J's schedule
     * counts a network's iterations; with N workers an iteration is a round of N steps, so a change at
     * step S takes effect at round ⌈S/N⌉, the first round that starts at or after step S (a later
     * change for the same round wins).
     */
    static IUpdater updater(TrainOptions o) {
        if (o.lrChanges().isEmpty()) {
            return o.optimizer().updater(o.learningRate());
        }
        Map<Integer, Double> rates = new HashMap<>();
        rates.put(0, o.learningRate());
        for (Map.Entry<Integer, Double> change : o.lrChanges().entrySet()) {
            int step = change.getKey();
            rates.put((int) ((step + (long) o.workers() - 1) / o.workers()), change.getValue());
        }
        return o.optimizer().updater(new MapSchedule(ScheduleType.ITERATION, rates));
    }
}
