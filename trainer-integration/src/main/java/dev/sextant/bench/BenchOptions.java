package dev.sextant.bench;

import dev.sextant.demo.Flag;
import dev.sextant.demo.FlagParser;
import dev.sextant.demo.UsageException;
import dev.sextant.demo.data.FashionMnist;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of a benchmark run, parsed from flags and checked, every default resolved.
 *
 * @param steps           timed training steps per variant and workload
 * @param warmUp          untimed steps per variant before the first block (JIT, workspaces, first probe calls)
 * @param repeats         rounds: the timed steps are split into this many blocks per variant, run interleaved
 * @param workloads       the networks
 * @param variants        the listener set-ups; the baseline {@link Variant#NONE} is always first
 * @param out             markdown file to write the report to, or {@code null} for the console only
 * @param dataset         directory of the Fashion-MNIST IDX files; a synthetic set of the same shape when absent
 * @param batch           examples per mini-batch
 * @param seed            seed of initial weights, batch order and probe start vectors
 * @param curvatureChecks warm-started curvature checks per workload after the timed runs (0 = none)
 * @param curvatureGap    steps between curvature checks (the warm start's age)
 * @param governedSteps   steps the governed variant trains on alone after the blocks (0 = none)
 * @param allowThreads    run even when OMP_NUM_THREADS is not 1, with a warning
 */
public record BenchOptions(int steps, int warmUp, int repeats, List<Workload> workloads, List<Variant> variants,
                           Path out, Path dataset, int batch, long seed, int curvatureChecks, int curvatureGap,
                           int governedSteps, boolean allowThreads) {

    static final int DEFAULT_STEPS = 2000;
    static final int DEFAULT_WARM_UP = 100;
    static final int DEFAULT_REPEATS = 8;
    static final int DEFAULT_BATCH = 128;
    static final long DEFAULT_SEED = 42;
    static final int DEFAULT_CURVATURE_CHECKS = 3;
    static final int DEFAULT_CURVATURE_GAP = 500;
    static final int DEFAULT_GOVERNED_STEPS = 1000;

    /** Every flag, in help order. */
    public static final List<Flag> FLAGS = List.of(
            Flag.value("--steps", "N", DEFAULT_STEPS + "", "timed training steps per variant and workload"),
            Flag.value("--warmup", "N", DEFAULT_WARM_UP + "", "untimed steps per variant before timing starts"),
            Flag.value("--repeats", "N", DEFAULT_REPEATS + "",
                    "rounds: each variant's steps run in N blocks, interleaved A B C D A B C D ..."),
            Flag.value("--workload", "mlp|cnn|all", "all", "networks: the 784-256-256-10 MLP, the small CNN, or both"),
            Flag.value("--variants", "LIST", "all", "comma-separated subset of dl4j-stats, sextant-default, "
                    + "sextant-full, sextant-full-3% (none, the baseline, always runs)"),
            Flag.value("--out", "FILE", "none: console only", "write the report as markdown to FILE"),
            Flag.value("--dataset", "DIR", FashionMnist.DEBIAN_DIR.toString(),
                    "Fashion-MNIST IDX files; synthetic data of the same shape when absent"),
            Flag.value("--batch", "N", DEFAULT_BATCH + "", "mini-batch size"),
            Flag.value("--seed", "N", DEFAULT_SEED + "", "seed of weights, batch order and probe start vectors"),
            Flag.value("--curvature-checks", "N", DEFAULT_CURVATURE_CHECKS + "",
                    "warm-started λmax checks against a 100-iteration Lanczos reference, per workload; 0 = none"),
            Flag.value("--curvature-gap", "N", DEFAULT_CURVATURE_GAP + "", "steps between curvature checks"),
            Flag.value("--governed-steps", "N", DEFAULT_GOVERNED_STEPS + "",
                    "steps the governed variant trains on alone after the blocks, as one run sees it; 0 = none"),
            Flag.toggle("--allow-threads", "run even when OMP_NUM_THREADS is not 1 (timings are then unreliable)"),
            Flag.toggle("--help", "print this help and exit"));

    private static final FlagParser PARSER = new FlagParser(FLAGS);

    /** Whether the arguments ask for help. */
    public static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    /** Help text: usage and flags. */
    public static String help() {
        return "usage: bench [flags]\n"
                + "Trains the reference workloads for a fixed number of steps with no listener, DL4J's StatsListener\n"
                + "and Sextant's profiles, interleaved, and reports step times, memory, per-probe costs and the\n"
                + "accuracy of the warm-started top Hessian eigenvalue. Run with OMP_NUM_THREADS=1.\n"
                + "flags:\n" + PARSER.help();
    }

    /**
     * Parses and checks the flags.
     *
     * @throws UsageException naming the flag and what to change
     */
    public static BenchOptions parse(List<String> args) throws UsageException {
        Map<String, String> f = PARSER.parse(args);
        int steps = positive(f, "--steps", DEFAULT_STEPS);
        int warmUp = atLeast(f, "--warmup", DEFAULT_WARM_UP, 0);
        int repeats = positive(f, "--repeats", DEFAULT_REPEATS);
        if (repeats > steps) {
            throw new UsageException("--repeats " + repeats + " is more than --steps " + steps
                    + "; each round needs at least one step");
        }
        List<Workload> workloads;
        try {
            workloads = Workload.parse(f.getOrDefault("--workload", "all"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--workload: " + e.getMessage());
        }
        List<Variant> variants;
        try {
            variants = Variant.parse(f.getOrDefault("--variants", "all"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--variants: " + e.getMessage());
        }
        Path out = f.containsKey("--out") ? Path.of(f.get("--out")) : null;
        Path dataset = Path.of(f.getOrDefault("--dataset", FashionMnist.DEBIAN_DIR.toString()));
        int batch = positive(f, "--batch", DEFAULT_BATCH);
        long seed;
        try {
            seed = Long.parseLong(f.getOrDefault("--seed", Long.toString(DEFAULT_SEED)));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed: '" + f.get("--seed") + "' is not an integer");
        }
        int checks = atLeast(f, "--curvature-checks", DEFAULT_CURVATURE_CHECKS, 0);
        int gap = positive(f, "--curvature-gap", DEFAULT_CURVATURE_GAP);
        int governed = atLeast(f, "--governed-steps", DEFAULT_GOVERNED_STEPS, 0);
        return new BenchOptions(steps, warmUp, repeats, workloads, variants, out, dataset, batch, seed, checks, gap,
                governed, f.containsKey("--allow-threads"));
    }

    private static int positive(Map<String, String> f, String flag, int fallback) throws UsageException {
        return atLeast(f, flag, fallback, 1);
    }

    private static int atLeast(Map<String, String> f, String flag, int fallback, int min) throws UsageException {
        String v = f.get(flag);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + v + "' is not an integer");
        }
        if (n < min) {
            throw new UsageException(flag + ": " + n + "; must be at least " + min);
        }
        return n;
    }
}
