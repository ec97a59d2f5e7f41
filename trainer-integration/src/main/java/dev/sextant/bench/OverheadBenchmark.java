package dev.sextant.bench;

import dev.sextant.demo.UsageException;
import dev.sextant.dl4j.SextantListener;
import dev.sextant.probe.Probe;
import dev.sextant.demo.data.FashionMnist;
import dev.sextant.demo.data.LabelledData;
import dev.sextant.demo.data.SyntheticClusters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The overhead benchmark: what Sextant costs a training run, next to training alone and to DL4J's
 * own StatsListener.
 *
 * <p>For each workload ({@link Workload}) every variant ({@link Variant}) gets a new network from
 * the same seed and the same batches; after an untimed warm-up the variants train in interleaved
 * blocks ({@link Interleaving}), every step timed. Then the report gives per variant the median and
 * the amortised step time and their ratios to no listener, memory, each probe's cost per call in
 * training-step equivalents, and the accuracy and cost of the warm-started top Hessian eigenvalue
 * against a 100-iteration Lanczos reference ({@link CurvatureAccuracyProbe}).
 *
 * <p>Timings on a shared CPU are only comparable with one OpenMP thread: the benchmark refuses to
 * run unless {@code OMP_NUM_THREADS=1} (or {@code --allow-threads} is given).
 */
public final class OverheadBenchmark {
    /** Exit codes, as the demo command line's: success, a run that failed, a bad command line. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    /**
     * Untimed steps before the governed stretch: the pause before it (the other variants, the
     * curvature checks) raises the governor's step-time average (a step counts as at most 10× the
     * average, weight 0.1 per step), which 150 steps bring back within 0.01% of its level.
     */
    static final int GOVERNOR_LEAD_IN = 150;

    private final BenchOptions options;
    private final PrintStream out;

    private OverheadBenchmark(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        for (String logger : List.of("org.nd4j", "org.deeplearning4j")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the benchmark with the given flags ({@code --help} lists them) and returns the exit code;
     * never calls {@code System.exit}.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> list = List.of(args);
        if (BenchOptions.wantsHelp(list)) {
            out.print(BenchOptions.help());
            return OK;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(list);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        String problem = threadProblem(System.getenv("OMP_NUM_THREADS"));
        if (problem != null) {
            if (!options.allowThreads()) {
                err.println("error: " + problem + ". Run with OMP_NUM_THREADS=1, or pass --allow-threads.");
                return USAGE;
            }
            err.println("!!! WARNING: " + problem + ". Timings below are NOT comparable. !!!");
        }
        try {
            new OverheadBenchmark(options, out).run(String.join(" ", list));
            return OK;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
    }

    /** What is wrong with the OMP_NUM_THREADS value {@code omp} for timing, or {@code null} when it is 1. */
    static String threadProblem(String omp) {
        if ("1".equals(omp)) {
            return null;
        }
        return "OMP_NUM_THREADS is " + (omp == null ? "unset" : "'" + omp + "'")
                + "; ND4J then runs one OpenMP thread per core and on a shared machine the step times "
                + "scatter (p90 several times the median), which hides a few percent of overhead";
    }

    private void run(String argLine) throws IOException {
        String date = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        MachineInfo machine = MachineInfo.current();
        out.printf(Locale.ROOT, "%d processors, %s; load average %s; OMP_NUM_THREADS=%s%n", machine.processors(),
                machine.cpuModel(), machine.loadAverage(), machine.ompNumThreads());
        if (options.out() != null) {
            // fail on an unwritable report before minutes of training
            Files.writeString(options.out(), "");
        }
        LabelledData data = load();
        List<WorkloadResult> results = new ArrayList<>();
        for (Workload w : options.workloads()) {
            results.add(workload(w, data));
        }
        String command = "OverheadBenchmark" + (argLine.isEmpty() ? "" : " " + argLine);
        String report = BenchReport.render(options, machine, MachineInfo.currentLoad(), date, command, results);
        out.println();
        out.print(report);
        if (options.out() != null) {
            Files.writeString(options.out(), report);
            out.println("\nreport written to " + options.out().toAbsolutePath());
        }
    }

    private LabelledData load() throws IOException {
        Path dir = options.dataset();
        if (Files.isDirectory(dir) && !FashionMnist.absent(dir)) {
            out.println("data: Fashion-MNIST training set from " + dir);
            return FashionMnist.train(dir);
        }
        out.println("data: Fashion-MNIST not found in " + dir + "; synthetic data of the same shape (784 features, "
                + "10 classes, 10,000 examples)");
        return new SyntheticClusters(options.seed()).sample("synthetic", 10_000, 0);
    }

    private WorkloadResult workload(Workload workload, LabelledData data) {
        Map<Variant, VariantRun> runs = new LinkedHashMap<>();
        Map<Variant, String> unavailable = new LinkedHashMap<>();
        long parameters = 0;
        try {
            for (Variant v : options.variants()) {
                out.printf(Locale.ROOT, "%s / %s: new network, %d warm-up steps%n", workload.label(), v.label(),
                        options.warmUp());
                try {
                    VariantRun run = VariantRun.start(v, workload, data, options.batch(), options.seed(),
                            options.warmUp(), options.steps(), options.repeats());
                    runs.put(v, run);
                    parameters = run.network().numParams();
                } catch (IllegalStateException e) {
                    unavailable.put(v, e.getMessage());
                    out.println("  not run: " + e.getMessage());
                }
            }
            List<VariantRun> order = new ArrayList<>(runs.values());
            for (Interleaving.Block b : Interleaving.plan(order.size(), options.steps(), options.repeats())) {
                order.get(b.variant()).block(b.round(), b.steps());
                if (b.variant() == order.size() - 1) {
                    roundLine(workload, b.round(), order);
                }
            }
            WorkloadResult result = result(workload, data, parameters, runs, unavailable);
            VariantRun governed = runs.get(Variant.SEXTANT_FULL_GOVERNED);
            if (governed != null && options.governedSteps() > 0) {
                out.printf(Locale.ROOT, "%s / %s: %d untimed and %d timed contiguous steps%n", workload.label(),
                        Variant.SEXTANT_FULL_GOVERNED.label(), GOVERNOR_LEAD_IN, options.governedSteps());
                VariantRun.Stretch s = governed.stretch(GOVERNOR_LEAD_IN, options.governedSteps());
                result = result.withGoverned(new GovernedStretch(GOVERNOR_LEAD_IN, s.steps(), s.medianMs(), s.meanMs(),
                        s.listenerMs(), s.listenerRatio(), ProbeCost.of(governed.listeners().timings(), s.fromStep())));
            }
            return result;
        } finally {
            runs.values().forEach(VariantRun::close);
        }
    }

    private void roundLine(Workload workload, int round, List<VariantRun> order) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s round %d/%d:", workload.label(),
                round + 1, options.repeats()));
        for (VariantRun r : order) {
            sb.append(String.format(Locale.ROOT, " %s %.2f ms", r.variant().label(), r.roundMeanMillis()[round]));
        }
        out.println(sb);
    }

    private WorkloadResult result(Workload workload, LabelledData data, long parameters, Map<Variant, VariantRun> runs,
                                  Map<Variant, String> unavailable) {
        List<VariantResult> variants = new ArrayList<>();
        for (Variant v : options.variants()) {
            VariantRun r = runs.get(v);
            if (r == null) {
                variants.add(VariantResult.unavailable(v, unavailable.get(v)));
                continue;
            }
            double[] ms = r.stepMillis();
            long sextantBytes = -1;
            long ownBytes = -1;
            Map<String, Long> probeBytes = new LinkedHashMap<>();
            SextantListener sextant = r.listeners().sextant();
            if (sextant != null) {
                List<Object> attached = new ArrayList<>(r.listeners().listeners());
                attached.add(sextant);
                BufferCensus census = BufferCensus.excluding(r.network(), attached);
                sextantBytes = census.bytes(sextant, r.network());
                List<Object> stops = new ArrayList<>(sextant.probes());
                stops.add(r.network());
                ownBytes = census.bytes(sextant, stops.toArray());
                for (Probe p : sextant.probes()) {
                    probeBytes.put(p.name(), census.bytes(p, r.network()));
                }
            }
            variants.add(new VariantResult(v, null, ms.length, Statistics.median(ms), Statistics.mean(ms),
                    r.listenerMillis() / ms.length, r.roundMeanMillis(), r.maxAfterBlock(), sextantBytes, ownBytes,
                    probeBytes, r.listeners().overheadRatio(),
                    r.listeners().timings() == null ? Map.of() : r.listeners().timings().governedIntervals()));
        }
        List<ProbeCost> costs = List.of();
        Map<String, String> failures = Map.of();
        VariantRun full = runs.get(Variant.SEXTANT_FULL);
        if (full != null) {
            costs = ProbeCost.of(full.listeners().timings(), options.warmUp());
            failures = full.listeners().timings().failures();
        }
        List<CurvatureAccuracyProbe.Check> checks = List.of();
        String note = null;
        VariantRun none = runs.get(Variant.NONE);
        if (options.curvatureChecks() > 0 && none != null) {
            try {
                checks = CurvatureCheckRun.run(none.network(), none.batches(), workload, options.curvatureChecks(),
                        options.curvatureGap(), options.seed(), out);
                if (checks.size() < options.curvatureChecks() + 1) {
                    note = "only " + checks.size() + " curvature checks ran";
                }
            } catch (IllegalStateException e) {
                note = e.getMessage();
                out.println(note);
            }
        }
        return new WorkloadResult(workload, parameters, data.name(), options.batch(), data.inputs(), data.classes(),
                variants, costs, failures, checks, note, null);
    }
}
