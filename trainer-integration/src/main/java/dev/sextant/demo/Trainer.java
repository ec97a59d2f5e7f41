package dev.sextant.demo;

import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.ShuffledBatchIterator;
import dev.sextant.dl4j.SextantListener;
import dev.sextant.report.RunReport;
import dev.sextant.probe.progress.TrainingProgressProbe;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One training run of the demo: loads the data, builds the network, attaches a
 * {@link SextantListener} (metrics server, event log, console digest) and a
 * {@link BatchAccuracyListener}, trains until the step or epoch budget is spent, prints
 * progress, and evaluates on the held-out set.
 */
public final class Trainer {
    /** Steps averaged for the initial and final loss of the summary. */
    public static final int LOSS_WINDOW = 10;
    private static final int EVAL_BATCH = 500;

    private final TrainOptions options;
    private final PrintStream out;

    public Trainer(TrainOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
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
        try (SextantListener sextant = listener(digest)) {
            TrainingData data = TrainingData.load(dataDir, o.seed());
            if (data.train().size() == 0 || data.test().size() == 0) {
                throw new IOException(data.train().name() + " / " + data.test().name() + ": a set has no examples");
            }
            MultiLayerNetwork net = Networks.build(o.model(), updater(o), o.seed());
            out.printf(Locale.ROOT, "training %s (%,d parameters), %s lr %s, batch %d, seed %d, on %s (%,d examples)%n",
                    o.model().flagValue(), net.numParams(), o.optimizer().flagValue(),
                    ProbeDigest.number(o.learningRate()), o.batch(), o.seed(), data.train().name(), data.train().size());
            out.println("metrics:   " + (sextant.metricsUrl() != null ? sextant.metricsUrl() : "off (--port -1)"));
            out.println("event log: " + sextant.eventLogPath().toAbsolutePath());
            if (sextant.pageUrl() != null) {
                out.println("live page: " + sextant.pageUrl());
            }
            net.setListeners(sextant, accuracy);
            TrainResult result = train(net, data, digest, accuracy, sextant);
            writeReport(sextant);
            return result;
        }
    }

    private SextantListener listener(ProbeDigest digest) throws UsageException {
        SextantListener.Builder b = SextantListener.builder()
                .model(options.model().flagValue())
                .host(options.host())
                .port(options.port())
                .eventLog(options.events())
                .every(options.every())
                .sink(digest);
        DemoProbes.addTo(b, options);
        if (Double.isNaN(options.budget())) {
            b.fixedIntervals();
        } else {
            b.overheadBudget(options.budget());
        }
        if (options.runId() != null) {
            b.runId(options.runId());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private TrainResult train(MultiLayerNetwork net, TrainingData data, ProbeDigest digest,
                              BatchAccuracyListener accuracy, SextantListener sextant) {
        TrainOptions o = options;
        ShuffledBatchIterator batches = new ShuffledBatchIterator(data.train(), o.batch(), new Random(o.seed()));
        long budget = o.steps() > 0 ? o.steps() : (long) batches.batchesPerEpoch() * o.epochs();
        ProgressPrinter progress = new ProgressPrinter(out, o.progressSeconds(), digest, accuracy, budget,
                System::nanoTime);
        progress.legend();

        double[] lastLosses = new double[LOSS_WINDOW];
        double firstSum = 0;
        long step = 0;
        long examples = 0;
        int epoch = 0;
        long start = System.nanoTime();
        while (epoch < o.epochs() && step < budget) {
            if (epoch > 0) {
                batches.reset();
            }
            while (batches.hasNext() && step < budget) {
                DataSet batch = batches.next();
                net.fit(batch);
                double loss = net.score();
                if (step < LOSS_WINDOW) {
                    firstSum += loss;
                }
                lastLosses[(int) (step % LOSS_WINDOW)] = loss;
                step++;
                examples += batch.numExamples();
                progress.step(step, epoch, loss, batch.numExamples());
            }
            if (!batches.hasNext()) {
                net.incrementEpochCount();
                epoch++;
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        progress.finish(step, net.getEpochCount());

        int window = (int) Math.min(step, LOSS_WINDOW);
        double lastSum = 0;
        for (int i = 0; i < window; i++) {
            lastSum += lastLosses[i];
        }
        LabelledData test = data.test();
        // A diverged run has NaN or infinite parameters; DL4J's evaluation refuses NaN predictions.
        boolean finite = Double.isFinite(net.params().norm2Number().doubleValue());
        double testAccuracy = finite ? net.evaluate(new ShuffledBatchIterator(test, EVAL_BATCH, null)).accuracy() : Double.NaN;
        TrainResult r = new TrainResult(step, epoch, seconds, examples, firstSum / window, lastSum / window,
                testAccuracy, test.name(), test.size(), sextant.metricsUrl(), sextant.eventLogPath());
        summary(r);
        return r;
    }

    private void summary(TrainResult r) {
        out.printf(Locale.ROOT, "done: %d steps (epochs completed: %d) in %.1f s, %.0f examples/s; loss %.4f -> %.4f "
                        + "(mean of the first and last %d batches)%n",
                r.steps(), r.epochs(), r.seconds(), r.examples() / r.seconds(), r.initialLoss(), r.finalLoss(),
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

    /** The optimizer at {@code --lr}, switching rates at the steps of {@code --lr-at}. */
    static IUpdater updater(TrainOptions o) {
        if (o.lrChanges().isEmpty()) {
            return o.optimizer().updater(o.learningRate());
        }
        Map<Integer, Double> rates = new HashMap<>(o.lrChanges());
        rates.put(0, o.learningRate());
        return o.optimizer().updater(new MapSchedule(ScheduleType.ITERATION, rates));
    }
}
