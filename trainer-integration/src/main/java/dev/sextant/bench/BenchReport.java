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
                ">× none per round", ">in listener ms/step", ">× from listener time", ">Sextant buffers MiB",
                ">heap max MiB", ">RSS max MiB", ">JavaCPP max MiB");
        for (VariantResult r : w.variants()) {
            if (!r.ran()) {
                t.row(r.variant().label(), "—", "—", "—", "—", "—", "—", "—", "—", "—", "—", "—");
                continue;
            }
            double[] range = r.roundRatioRange(base);
            t.row(r.variant().label(), num(r.medianMs(), 2), ratio(r.medianMs() / base.medianMs()),
                    num(r.amortisedMs(), 2), ratio(r.amortisedMs() / base.amortisedMs()),
                    num(range[0], 2) + "–" + num(range[1], 2), num(r.listenerMs(), 3), ratio(r.listenerRatio()),
                    r.sextantBytes() < 0 ? "—" : num(TargetCheck.mib(r.sextantBytes()), 1),
                    num(TargetCheck.mib(r.maxAfterBlock().heapBytes()), 1),
                    num(TargetCheck.mib(r.maxAfterBlock().physicalBytes()), 1),
                    num(TargetCheck.mib(r.maxAfterBlock().javacppBytes()), 1));
        }
        sb.append(t.render());
        sb.append("\nMedian: the typical step. Amortised: total timed time / steps, so the rare expensive probe calls "
                + "count. Per round: amortised ratio in each interleaved round (the spread is load from other "
                + "processes). In listener: time inside the listener's callbacks per timed step; × from listener time "
                + "= 1 + in-listener / (amortised − in-listener), both from the same steps. Sextant buffers: bytes of "
                + "the distinct ND4J buffers reachable from the Sextant listener, the training network's own "
                + "excluded. Heap (used, after GC), RSS (Pointer.physicalBytes()) and JavaCPP (Pointer.totalBytes(); "
                + "ND4J's CPU buffers bypass it) are JVM-wide maxima over the variant's blocks: all variants share "
                + "one JVM.\n");
        for (VariantResult r : w.variants()) {
            if (!r.ran()) {
                sb.append("\n- `").append(r.variant().label()).append("` did not run: ").append(r.unavailable()).append('\n');
            } else if (!Double.isNaN(r.overheadRatio())) {
                sb.append(String.format(Locale.ROOT, "%n- `%s`: sextant_overhead_ratio = %.4f at the end (Sextant's "
                                + "own figure: its time over the training time between its callbacks, each step "
                                + "capped at 10× the average)", r.variant().label(), r.overheadRatio()));
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
        if (w.governed() != null) {
            GovernedStretch g = w.governed();
            sb.append(String.format(Locale.ROOT, "%n### sextant-full-3%% trained on alone: %d steps after the blocks "
                            + "and %d untimed ones%n%n"
                            + "Median %.2f ms/step, mean %.2f, in listener %.3f ms/step: %.3f× from listener time. "
                            + "Calls in the stretch: ", g.steps(), g.leadIn(), g.medianMs(), g.meanMs(), g.listenerMs(),
                    g.listenerRatio()));
            StringBuilder calls = new StringBuilder();
            for (ProbeCost c : g.calls()) {
                calls.append(calls.length() == 0 ? "" : ", ").append(c.probe()).append(' ').append(c.calls())
                        .append(String.format(Locale.ROOT, " (median %.1f ms)", c.medianMs()));
            }
            sb.append(calls).append(".\n\nThe governor takes the time between two of its callbacks, minus its own, as "
                    + "the training step, and counts a step as at most 10× its average. In the interleaved blocks the "
                    + "first step of each block follows the other variants' blocks, so its average still jumps there "
                    + "and the intervals shrink for a few dozen steps; and a probe's first call does not count as its "
                    + "cost, so each expensive probe runs twice at its base interval before it is stretched. This "
                    + "stretch, after 150 untimed steps, is the governor's steady state.\n");
        }
        if (!w.probeCosts().isEmpty()) {
            VariantResult full = w.find(Variant.SEXTANT_FULL);
            sb.append("\n### Probe cost per call (sextant-full, fixed intervals, calls after warm-up)\n\n");
            MarkdownTable p = new MarkdownTable("probe", ">calls", ">every", ">median ms", ">max ms",
                    ">step-equivalents", ">share of step time");
            double totalShare = 0;
            for (ProbeCost c : w.probeCosts()) {
                double share = c.overheadShare(base.medianMs());
                totalShare += Double.isNaN(share) ? 0 : share;
                p.row(c.probe(), Integer.toString(c.calls()), c.interval() == 0 ? "—" : Long.toString(c.interval()),
                        num(c.medianMs(), 2), num(c.maxMs(), 2), num(c.stepEquivalents(base.medianMs()), 2),
                        Double.isNaN(share) ? "—" : num(100 * share, 2) + "%");
            }
            p.row("**all probes**", "", "", "", "", "", num(100 * totalShare, 1) + "%");
            sb.append(p.render());
            sb.append("\nStep-equivalents: median call time / median no-listener step time. Share: mean call time / "
                    + "(interval × median no-listener step): what the probe adds to training time at its interval.\n");
            if (full != null && full.sextantBytes() >= 0) {
                sb.append("\n### Memory held by the sextant-full listener\n\n");
                MarkdownTable m = new MarkdownTable("holder", ">MiB", ">float64 parameter buffers");
                double buffer = (double) Double.BYTES * w.parameters();
                m.row("listener without probes: step buffers, float64 evaluation copy, probe batch",
                        num(TargetCheck.mib(full.ownBytes()), 1), num(full.ownBytes() / buffer, 1));
                full.probeBytes().forEach((probe, bytes) -> m.row(probe, num(TargetCheck.mib(bytes), 1),
                        num(bytes / buffer, 1)));
                m.row("**total** (distinct buffers)", num(TargetCheck.mib(full.sextantBytes()), 1),
                        num(full.sextantBytes() / buffer, 1));
                sb.append(m.render());
                sb.append("\nBytes of the distinct ND4J buffers reachable from each holder (Lanczos bases, "
                        + "finite-difference work vectors, warm starts, micro-batch gradients), the training network's "
                        + "excluded; a buffer two probes share counts in both rows, once in the total.\n");
            }
            w.probeFailures().forEach((probe, why) -> sb.append("\n- probe `").append(probe).append("` failed: ")
                    .append(why).append('\n'));
        }
        if (!w.checks().isEmpty() || w.curvatureNote() != null) {
            sb.append("\n### Top Hessian eigenvalue: accuracy and cost on the same batch\n\n");
            MarkdownTable c = new MarkdownTable(">step", "start", ">reference λ1", ">ref. residual",
                    ">probe λ1 (tol 1e-3)", ">error", ">gradients", ">step-eq.", ">λ1 at tol 1e-2", ">error", ">gradients",
                    ">step-eq.", ">1 gradient step-eq.", ">step ms");
            for (CurvatureAccuracyProbe.Check k : w.checks()) {
                c.row(Long.toString(k.step()), k.warm() ? "warm" : "cold", sci(k.referenceLambda()),
                        sci(k.referenceResidual()), sci(k.probeLambda()), pct(k.probeError()),
                        num(k.probeGradients(), 0), num(k.probeSteps(), 1),
                        sci(k.onePercentLambda()), pct(k.onePercentError()), Integer.toString(k.onePercentGradients()),
                        num(k.onePercentSteps(), 1), num(k.gradientSteps(), 2), num(k.stepMs(), 2));
            }
            sb.append(c.render());
            sb.append("\nReference: Lanczos, 100 iterations (tolerance 1e-10), random start, float64, on the same "
                    + "finite-difference Hessian-vector products. Probe: SharpnessProbe at its defaults, warm-started "
                    + "from its previous call. Tol 1e-2: Lanczos warm-started from its own previous call. Gradients: "
                    + "float64 gradient evaluations, 1 at the point + 2 per Hessian-vector product (the residual's "
                    + "included) + 2 per finite-difference retry at a ReLU kink; step-eq. include everything. 1 gradient: one float64 gradient of the batch loss on the evaluation copy. Step-equivalents "
                    + "here divide by the median no-listener step of the same network since the previous check (step "
                    + "ms), timed under the same load.\n");
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
