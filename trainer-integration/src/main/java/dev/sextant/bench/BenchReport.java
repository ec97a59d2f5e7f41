package dev.sextant.bench;

import java.util.List;
import java.util.Locale;

/** The benchmark's results as markdown: the set-up, one section per workload, and the targets. */
public final class BenchReport {
    private BenchReport() {
    }

    /**
     * @param options  the run's settings
     * @param machine  the machine, read at the start
     * @param loadEnd  load averages at the end
     * @param date     when the run started (ISO-8601)
     * @param command  the command line, as run
     * @param results  one per workload
     */
    public static String render(BenchOptions options, MachineInfo machine, String loadEnd, String date,
                                String command, List<WorkloadResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Run\n\n");
        sb.append("- date: ").append(date).append('\n');
        sb.append("- command: `").append(command).append("`\n");
        sb.append(String.format(Locale.ROOT, "- machine: %d processors, %s, %.1f GiB memory; load average %s at the "
                        + "start, %s at the end (1, 5, 15 min)%n", machine.processors(), machine.cpuModel(),
                machine.memoryBytes() / (1024.0 * 1024 * 1024), machine.loadAverage(), loadEnd));
        sb.append(String.format(Locale.ROOT, "- JVM: %s, max heap %.1f GiB; OMP_NUM_THREADS=%s%n", machine.java(),
                machine.maxHeapBytes() / (1024.0 * 1024 * 1024),
                machine.ompNumThreads() == null ? "(unset)" : machine.ompNumThreads()));
        sb.append(String.format(Locale.ROOT, "- per variant: %d warm-up steps, then %d timed steps in %d interleaved "
                        + "blocks; batch %d; Adam lr %s; seed %d%n", options.warmUp(), options.steps(),
                options.repeats(), options.batch(), Workload.LEARNING_RATE, options.seed()));
        sb.append("- variants:\n");
        for (Variant v : options.variants()) {
            sb.append("  - `").append(v.label()).append("`: ").append(v.description()).append('\n');
        }
        for (WorkloadResult w : results) {
            workload(sb, w);
        }
        sb.append("\n## Targets\n\n");
        MarkdownTable t = new MarkdownTable("target", "workload", "measured", "met", "note");
        for (WorkloadResult w : results) {
            for (TargetCheck c : TargetCheck.evaluate(w)) {
                t.row(c.target(), c.workload(), c.figure(), c.met() == null ? "n/a" : c.met() ? "yes" : "**no**",
                        c.note());
            }
        }
        sb.append(t.render());
        return sb.toString();
    }

    private static void workload(StringBuilder sb, WorkloadResult w) {
        sb.append(String.format(Locale.ROOT, "%n## %s: %,d parameters, %s, batch %d%n%n", w.workload().label(),
                w.parameters(), w.data(), w.batch()));
        VariantResult base = w.baseline();
        MarkdownTable t = new MarkdownTable("variant", ">median ms/step", ">× none", ">amortised ms/step", ">× none",
                ">× none per round", ">retained RSS vs none MiB", ">retained heap vs none MiB", ">RSS max MiB",
                ">heap max MiB", ">JavaCPP max MiB");
        for (VariantResult r : w.variants()) {
            if (!r.ran()) {
                t.row(r.variant().label(), "—", "—", "—", "—", "—", "—", "—", "—", "—", "—");
                continue;
            }
            double[] range = r.roundRatioRange(base);
            boolean own = r.variant() == Variant.NONE;
            t.row(r.variant().label(), num(r.medianMs(), 2), ratio(r.medianMs() / base.medianMs()),
                    num(r.amortisedMs(), 2), ratio(r.amortisedMs() / base.amortisedMs()),
                    num(range[0], 3) + "–" + num(range[1], 3),
                    own ? num(TargetCheck.mib(r.retained().physicalBytes()), 1) + " (own)"
                            : signed(TargetCheck.mib(r.retained().physicalBytes() - base.retained().physicalBytes())),
                    own ? num(TargetCheck.mib(r.retained().heapBytes()), 1) + " (own)"
                            : signed(TargetCheck.mib(r.retained().heapBytes() - base.retained().heapBytes())),
                    num(TargetCheck.mib(r.maxAfterBlock().physicalBytes()), 1),
                    num(TargetCheck.mib(r.maxAfterBlock().heapBytes()), 1),
                    num(TargetCheck.mib(r.maxAfterBlock().javacppBytes()), 1));
        }
        sb.append(t.render());
        sb.append("\nMedian: the typical step. Amortised: total timed time / steps, so the rare expensive probe calls "
                + "count. Per round: amortised ratio of each interleaved round. Retained: growth of the resident set "
                + "(RSS, Pointer.physicalBytes(): ND4J's native buffers and the committed Java heap) and of the used "
                + "heap over this variant's creation, warm-up and blocks, each read after GC right before and after, "
                + "summed; minus none's. Max: JVM-wide readings after each of the variant's blocks (all variants share "
                + "the JVM). JavaCPP = Pointer.totalBytes(): ND4J's CPU buffers bypass it, so it stays near 0.\n");
        for (VariantResult r : w.variants()) {
            if (!r.ran()) {
                sb.append("\n- `").append(r.variant().label()).append("` did not run: ").append(r.unavailable()).append('\n');
            } else if (!Double.isNaN(r.overheadRatio())) {
                sb.append(String.format(Locale.ROOT, "%n- `%s`: sextant_overhead_ratio = %.4f at the end",
                        r.variant().label(), r.overheadRatio()));
                if (!r.intervals().isEmpty()) {
                    sb.append("; governed intervals: ");
                    StringBuilder list = new StringBuilder();
                    r.intervals().forEach((p, n) -> list.append(list.length() == 0 ? "" : ", ").append(p)
                            .append(" every ").append(n));
                    sb.append(list);
                }
                sb.append('\n');
            }
        }
        if (!w.probeCosts().isEmpty()) {
            sb.append("\n### Probe cost per call (sextant-full, fixed intervals, calls after warm-up)\n\n");
            MarkdownTable p = new MarkdownTable("probe", ">calls", ">every", ">median ms", ">max ms",
                    ">step-equivalents", ">share of step time");
            for (ProbeCost c : w.probeCosts()) {
                p.row(c.probe(), Integer.toString(c.calls()), c.interval() == 0 ? "—" : Long.toString(c.interval()),
                        num(c.medianMs(), 2), num(c.maxMs(), 2), num(c.stepEquivalents(base.medianMs()), 2),
                        Double.isNaN(c.overheadShare(base.medianMs())) ? "—"
                                : num(100 * c.overheadShare(base.medianMs()), 2) + "%");
            }
            sb.append(p.render());
            sb.append("\nStep-equivalents: median call time / median no-listener step time. Share: mean call time / "
                    + "(interval × median no-listener step).\n");
            w.probeFailures().forEach((probe, why) -> sb.append("\n- probe `").append(probe).append("` failed: ")
                    .append(why).append('\n'));
        }
        if (!w.checks().isEmpty() || w.curvatureNote() != null) {
            sb.append("\n### Top Hessian eigenvalue: accuracy and cost on the same batch\n\n");
            MarkdownTable c = new MarkdownTable(">step", "start", ">reference λ1", ">ref. residual",
                    ">probe λ1 (tol 1e-3)", ">error", ">HVPs", ">step-eq.", ">λ1 at tol 1e-2", ">error", ">HVPs",
                    ">step-eq.", ">1 gradient step-eq.");
            for (CurvatureAccuracyProbe.Check k : w.checks()) {
                c.row(Long.toString(k.step()), k.warm() ? "warm" : "cold", sci(k.referenceLambda()),
                        sci(k.referenceResidual()), sci(k.probeLambda()), pct(k.probeError()),
                        num(k.probeProducts(), 0), num(k.probeSeconds() * 1e3 / base.medianMs(), 1),
                        sci(k.onePercentLambda()), pct(k.onePercentError()), Integer.toString(k.onePercentProducts()),
                        num(k.onePercentSeconds() * 1e3 / base.medianMs(), 1),
                        num(k.gradientSeconds() * 1e3 / base.medianMs(), 2));
            }
            sb.append(c.render());
            sb.append("\nReference: Lanczos, 100 iterations (tolerance 1e-10), random start, float64, on the same "
                    + "finite-difference Hessian-vector products. Probe: SharpnessProbe at its defaults, warm-started "
                    + "from its previous call. Tol 1e-2: Lanczos warm-started from its own previous call. HVPs include "
                    + "the residual's product (two gradients each, more on kink retries); step-eq. include the gradient at "
                    + "the point. 1 gradient: one float64 gradient of the batch loss on the evaluation copy.\n");
            if (w.curvatureNote() != null) {
                sb.append("\n- ").append(w.curvatureNote()).append('\n');
            }
        }
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3f×", v);
    }

    static String signed(double v) {
        return String.format(Locale.ROOT, "%+.1f", v);
    }

    static String sci(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.5g", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2g%%", 100 * v);
    }
}
