package dev.sextant.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything measured on one workload.
 *
 * @param workload       the network
 * @param parameters     its number of parameters
 * @param data           where the batches came from
 * @param batch          mini-batch size
 * @param inputs         features per example
 * @param classes        label columns per example
 * @param variants       per-variant results, the baseline first
 * @param probeCosts     per-probe cost in the FULL variant at fixed intervals (empty when it did not run)
 * @param probeFailures  first failure of each probe that failed there
 * @param checks         curvature accuracy checks (empty when none ran)
 * @param curvatureNote  why there are no or fewer checks, or {@code null}
 * @param governed       the governed variant trained on alone after the blocks, or {@code null}
 */
public record WorkloadResult(Workload workload, long parameters, String data, int batch, int inputs, int classes,
                             List<VariantResult> variants, List<ProbeCost> probeCosts,
                             Map<String, String> probeFailures, List<CurvatureAccuracyProbe.Check> checks,
                             String curvatureNote, GovernedStretch governed) {

    /** This result with {@code stretch} as its governed stretch. */
    public WorkloadResult withGoverned(GovernedStretch stretch) {
        return new WorkloadResult(workload, parameters, data, batch, inputs, classes, variants, probeCosts,
                probeFailures, checks, curvatureNote, stretch);
    }

    /** The no-listener result. */
    public VariantResult baseline() {
        return find(Variant.NONE);
    }

    /** The result of {@code v}, or {@code null} when it was not asked for. */
    public VariantResult find(Variant v) {
        for (VariantResult r : variants) {
            if (r.variant() == v) {
                return r;
            }
        }
        return null;
    }

    /**
     * The memory target's allowance: four parameter-sized float64 buffers plus one probe batch in
     * float64 (features and labels).
     */
    public long memoryAllowanceBytes() {
        return 4L * Double.BYTES * parameters + (long) Double.BYTES * batch * (inputs + classes);
    }
}
