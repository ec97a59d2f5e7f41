package dev.sextant.demo;

import dev.sextant.demo.data.FashionMnist;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The settings of {@code train}, parsed from flags and checked, with every default resolved.
 *
 * @param steps            stop after this many steps (mini-batches); 0 = no step limit
 * @param epochs           stop after this many passes over the training set; {@link Integer#MAX_VALUE} = no limit
 * @param batch            examples per mini-batch
 * @param learningRate     learning rate (the optimizer's default unless {@code --lr} is given)
 * @param optimizer        the optimizer
 * @param model            the network
 * @param dataset          directory of the Fashion-MNIST IDX files, or {@code null} for the synthetic task
 * @param datasetExplicit  whether {@code --dataset} was given (then missing files are an error, not a fallback)
 * @param host             address of the metrics server
 * @param port             metrics port; 0 = any free port, -1 = no metrics server
 * @param events           JSON-lines event log
 * @param every            interval in steps of the default probes (progress, weight geometry)
 * @param curvatureEvery   interval in steps of the curvature probes; 0 = off
 * @param noiseEvery       interval in steps of the gradient-noise probes; 0 = off
 * @param seed             seed of initial weights, batch order and the synthetic data
 * @param runId            the {@code run} label, or {@code null} for the start time
 * @param progressSeconds  at most one progress line per this many seconds (0 = every step)
 * @param budget           Sextant's time budget as a fraction of training time; NaN = fixed intervals
 * @param lrChanges        learning rates from given steps on ({@code --lr-at}); empty = constant {@code learningRate}
 * @param workers          training workers: 1 = one network; N ≥ 2 = DL4J's ParallelWrapper with N workers, the
 *                         parameters averaged after every round (one mini-batch for each worker)
 */
public record TrainOptions(long steps, int epochs, int batch, double learningRate, OptimizerKind optimizer,
                           ModelKind model, Path dataset, boolean datasetExplicit, String host, int port,
                           Path events, int every, int curvatureEvery, int noiseEvery, long seed, String runId, double progressSeconds,
                           double budget, SortedMap<Integer, Double> lrChanges, int workers) {

    public TrainOptions {
        lrChanges = Collections.unmodifiableSortedMap(new TreeMap<>(lrChanges));
    }

    /** {@code --dataset} value that selects the built-in synthetic task. */
    public static final String SYNTHETIC = "synthetic";
    static final int DEFAULT_EPOCHS = 1;
    static final int DEFAULT_BATCH = 64;
    static final int DEFAULT_PORT = 9404;
    static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_EVENTS = "sextant-events.jsonl";
    static final int DEFAULT_EVERY = 10;
    static final int DEFAULT_CURVATURE_EVERY = 500;
    static final int DEFAULT_NOISE_EVERY = 100;
    static final long DEFAULT_SEED = 42;
    static final double DEFAULT_PROGRESS_SECONDS = 2.0;
    static final double DEFAULT_BUDGET = 0.03;
    /**
     * Most workers allowed: each is a thread with its own copy of the network and its own series in
     * {@code /metrics}, so the number of series grows with it.
     */
    static final int MAX_WORKERS = 64;
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** Every flag of {@code train}, in help order. */
    public static final List<Flag> FLAGS = List.of(
            Flag.value("--steps", "N", "none: whole epochs", "stop after N training steps (mini-batches)"),
            Flag.value("--epochs", "N", DEFAULT_EPOCHS + "; unlimited when only --steps is given",
                    "stop after N passes over the training set"),
            Flag.value("--batch", "N", DEFAULT_BATCH + " examples", "mini-batch size in examples"),
            Flag.value("--optimizer", "sgd|nesterovs|adam", "adam",
                    "optimizer (nesterovs uses momentum " + OptimizerKind.NESTEROV_MOMENTUM + ")"),
            Flag.value("--lr", "RATE", "adam 1e-3, sgd 0.1, nesterovs 0.05", "learning rate"),
            Flag.value("--lr-at", "STEP:RATE[,STEP:RATE...]", "none",
                    "change the learning rate from STEP on, e.g. 300:0.05 to push a stable run past the edge of stability"),
            Flag.value("--model", "mlp|cnn", "mlp", "network: mlp 784-256-256-10, or cnn (two 5x5 conv + pool)"),
            Flag.value("--dataset", "DIR|synthetic", FashionMnist.DEBIAN_DIR + "; synthetic when absent",
                    "Fashion-MNIST IDX files (.gz or raw), or 'synthetic' for 10 Gaussian clusters"),
            Flag.value("--port", "PORT", DEFAULT_PORT + "", "metrics port; 0 = any free port, -1 = no metrics server"),
            Flag.value("--host", "ADDR", DEFAULT_HOST, "address the metrics server binds; 0.0.0.0 = all interfaces"),
            Flag.value("--events", "FILE", DEFAULT_EVENTS, "JSON-lines event log, appended to"),
            Flag.value("--every", "N", DEFAULT_EVERY + " steps", "interval of the progress and weight probes"),
            Flag.value("--curvature-every", "N", DEFAULT_CURVATURE_EVERY + " steps",
                    "interval of the curvature probes (top Hessian eigenvalue, batch, preconditioned and SAM "
                            + "sharpness, trace; tens of gradients each); 0 = off"),
            Flag.value("--noise-every", "N", DEFAULT_NOISE_EVERY + " steps",
                    "interval of the gradient-noise probes (noise scale B_simple, norm/inner-product/orthogonality "
                            + "tests, SNR); 0 = off"),
            Flag.value("--budget", "FRACTION|off", DEFAULT_BUDGET + " (3%)",
                    "Sextant's time budget as a fraction of training time: the governor stretches the intervals "
                            + "of expensive probes to hold it; off = every probe exactly at its interval"),
            Flag.value("--seed", "N", DEFAULT_SEED + "", "seed of initial weights, batch order and synthetic data"),
            Flag.value("--run-id", "ID", "start time yyyyMMdd-HHmmss",
                    "run label of the metrics and event log (letters, digits, _ . : -)"),
            Flag.value("--progress-seconds", "S", DEFAULT_PROGRESS_SECONDS + " s",
                    "at most one progress line per S seconds; 0 = every step"),
            Flag.value("--workers", "N", "1: one network",
                    "train with N ParallelWrapper workers (2-" + MAX_WORKERS + "), parameters averaged every "
                            + "round; see 'with --workers N' below"),
            Flag.toggle("--help", "print this help and exit"));

    private static final FlagParser PARSER = new FlagParser(FLAGS);

    /** The options of {@code train} given its flags; {@code --help} is not an option (see {@link #wantsHelp}). */
    public static TrainOptions parse(List<String> args) throws UsageException {
        Map<String, String> f = PARSER.parse(args);
        long steps = f.containsKey("--steps") ? positiveLong(f, "--steps") : 0;
        int epochs = f.containsKey("--epochs") ? positiveInt(f, "--epochs")
                : (steps > 0 ? Integer.MAX_VALUE : DEFAULT_EPOCHS);
        int batch = f.containsKey("--batch") ? positiveInt(f, "--batch") : DEFAULT_BATCH;
        OptimizerKind optimizer = f.containsKey("--optimizer")
                ? choice(f, "--optimizer", OptimizerKind.class) : OptimizerKind.ADAM;
        double lr = f.containsKey("--lr") ? learningRate(f.get("--lr")) : optimizer.defaultLearningRate();
        ModelKind model = f.containsKey("--model") ? choice(f, "--model", ModelKind.class) : ModelKind.MLP;
        String ds = f.getOrDefault("--dataset", FashionMnist.DEBIAN_DIR.toString());
        if (ds.isBlank()) {
            throw new UsageException("--dataset: empty; give a directory with the Fashion-MNIST IDX files or 'synthetic'");
        }
        Path dataset = ds.equals(SYNTHETIC) ? null : Path.of(ds);
        String host = f.getOrDefault("--host", DEFAULT_HOST);
        if (host.isBlank()) {
            throw new UsageException("--host: empty; give an address to bind, e.g. 127.0.0.1 or 0.0.0.0");
        }
        int port = f.containsKey("--port") ? port(f.get("--port")) : DEFAULT_PORT;
        String events = f.getOrDefault("--events", DEFAULT_EVENTS);
        if (events.isBlank()) {
            throw new UsageException("--events: empty; give a file path, e.g. --events run.jsonl");
        }
        int every = f.containsKey("--every") ? positiveInt(f, "--every") : DEFAULT_EVERY;
        int curvatureEvery = f.containsKey("--curvature-every") ? interval(f, "--curvature-every")
                : DEFAULT_CURVATURE_EVERY;
        int noiseEvery = f.containsKey("--noise-every") ? interval(f, "--noise-every") : DEFAULT_NOISE_EVERY;
        long seed = f.containsKey("--seed") ? wholeNumber(f, "--seed") : DEFAULT_SEED;
        String runId = f.get("--run-id");
        if (runId != null && !LABEL_VALUE.matcher(runId).matches()) {
            throw new UsageException("--run-id: '" + runId + "' is not allowed; use 1-64 characters from "
                    + "letters, digits and _ . : -");
        }
        double progress = f.containsKey("--progress-seconds") ? progressSeconds(f.get("--progress-seconds"))
                : DEFAULT_PROGRESS_SECONDS;
        double budget = f.containsKey("--budget") ? budget(f.get("--budget")) : DEFAULT_BUDGET;
        SortedMap<Integer, Double> lrChanges = f.containsKey("--lr-at") ? lrChanges(f.get("--lr-at")) : new TreeMap<>();
        int workers = f.containsKey("--workers") ? workers(f.get("--workers")) : 1;
        if (workers > 1 && steps > 0 && steps < workers) {
            throw new UsageException("--steps " + steps + " with --workers " + workers + ": a round gives each of the "
                    + workers + " workers one mini-batch, so some workers would never train; give --steps of at "
                    + "least " + workers + " or fewer workers");
        }
        return new TrainOptions(steps, epochs, batch, lr, optimizer, model, dataset, f.containsKey("--dataset"),
                host, port, Path.of(events), every, curvatureEvery, noiseEvery, seed, runId, progress, budget,
                lrChanges, workers);
    }

    private static int workers(String v) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--workers: '" + v + "' is not a whole number; give 1 for one network or 2-"
                    + MAX_WORKERS + " for ParallelWrapper workers, e.g. --workers 2");
        }
        if (n < 1 || n > MAX_WORKERS) {
            throw new UsageException("--workers: " + n + " is out of range; give 1 for one network or 2-"
                    + MAX_WORKERS + " for ParallelWrapper workers, e.g. --workers 2");
        }
        return (int) n;
    }

    private static SortedMap<Integer, Double> lrChanges(String v) throws UsageException {
        SortedMap<Integer, Double> out = new TreeMap<>();
        for (String part : v.split(",")) {
            String[] kv = part.split(":");
            try {
                int step = Integer.parseInt(kv[0].trim());
                double rate = Double.parseDouble(kv[1].trim());
                if (kv.length == 2 && step > 0 && rate > 0 && Double.isFinite(rate)) {
                    out.put(step, rate);
                    continue;
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // reported below
            }
            throw new UsageException("--lr-at: '" + part.trim() + "'; give STEP:RATE with a step of at least 1 and a "
                    + "positive rate, e.g. --lr-at 300:0.05 or 300:0.05,600:0.001");
        }
        return out;
    }

    private static double budget(String v) throws UsageException {
        if (v.equals("off")) {
            return Double.NaN;
        }
        try {
            double b = Double.parseDouble(v);
            if (b > 0 && b <= 1) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--budget: '" + v + "'; give a fraction of training time in (0, 1], e.g. 0.03, or off");
    }

    /** Whether the arguments ask for help (checked before parsing, so help works next to a bad flag). */
    public static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    /** The flag lines of {@code --help}. */
    public static String flagHelp() {
        return PARSER.help();
    }

    private static long wholeNumber(Map<String, String> f, String flag) throws UsageException {
        String v = f.get(flag);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + v + "' is not a whole number; e.g. " + flag + " 42");
        }
    }

    private static long positiveLong(Map<String, String> f, String flag) throws UsageException {
        long n = wholeNumber(f, flag);
        if (n < 1) {
            throw new UsageException(flag + ": " + n + " must be at least 1");
        }
        return n;
    }

    private static int positiveInt(Map<String, String> f, String flag) throws UsageException {
        long n = positiveLong(f, flag);
        if (n > Integer.MAX_VALUE) {
            throw new UsageException(flag + ": " + n + " is too large; at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** A probe interval: 0 (off) or a positive number of steps. */
    private static int interval(Map<String, String> f, String flag) throws UsageException {
        long n = wholeNumber(f, flag);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new UsageException(flag + ": " + n + " must be a number of steps, or 0 to turn these probes off");
        }
        return (int) n;
    }

    private static double learningRate(String v) throws UsageException {
        double lr;
        try {
            lr = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--lr: '" + v + "' is not a number; e.g. --lr 0.001 or --lr 1e-3");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UsageException("--lr: " + v + " must be a positive finite number, e.g. 1e-3");
        }
        return lr;
    }

    private static int port(String v) throws UsageException {
        int p;
        try {
            p = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--port: '" + v + "' is not a port number; use 1-65535, 0 for any free port, "
                    + "-1 for no metrics server");
        }
        if (p < -1 || p > 65535) {
            throw new UsageException("--port: " + p + " is out of range; use 1-65535, 0 for any free port, "
                    + "-1 for no metrics server");
        }
        return p;
    }

    private static double progressSeconds(String v) throws UsageException {
        double s;
        try {
            s = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--progress-seconds: '" + v + "' is not a number of seconds; e.g. 2");
        }
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new UsageException("--progress-seconds: " + v + " must be 0 or a positive number of seconds");
        }
        return s;
    }

    private static <E extends Enum<E>> E choice(Map<String, String> f, String flag, Class<E> type)
            throws UsageException {
        String v = f.get(flag);
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            String name = e.name().toLowerCase(Locale.ROOT);
            if (name.equals(v.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
            allowed.append(allowed.length() == 0 ? "" : ", ").append(name);
        }
        throw new UsageException(flag + ": '" + v + "' is not one of " + allowed);
    }
}
