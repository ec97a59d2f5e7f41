package dev.sextant.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What is attached to the network while it trains: nothing, DL4J's StatsListener, or Sextant in one set-up. */
public enum Variant {
    /** Training alone: the baseline every ratio divides by. */
    NONE("none", "no listener"),
    /** DL4J's own StatsListener writing to an InMemoryStatsStorage, both at their defaults. */
    DL4J_STATS("dl4j-stats", "DL4J StatsListener + InMemoryStatsStorage, defaults (report every step)"),
    /** Sextant's DEFAULT profile: progress and weight geometry every 10 steps, fixed intervals. */
    SEXTANT_DEFAULT("sextant-default", "Sextant DEFAULT profile, every 10, fixed intervals"),
    /**
     * Sextant's FULL profile at fixed intervals: progress and weight drift every step, gradient noise
     * and batch sharpness every 50, top eigenvalues, preconditioned and SAM sharpness every 500,
     * Hessian trace every 1000.
     */
    SEXTANT_FULL("sextant-full", "Sextant FULL profile: drift every 1, noise 50, λmax 500, trace 1000, fixed intervals"),
    /** The same FULL profile under the overhead governor with a 3% budget. */
    SEXTANT_FULL_GOVERNED("sextant-full-3%", "Sextant FULL profile as above, overhead governor budget 3%");

    /** Intervals of {@link #SEXTANT_FULL} and {@link #SEXTANT_FULL_GOVERNED}. */
    public static final int FULL_EVERY = 1;
    public static final int FULL_NOISE_EVERY = 50;
    public static final int FULL_SHARPNESS_EVERY = 500;
    public static final int FULL_TRACE_EVERY = 1000;
    /** The governed variant's budget: probe time over training time. */
    public static final double GOVERNOR_BUDGET = 0.03;

    private final String label;
    private final String description;

    Variant(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** Short name for tables and the command line. */
    public String label() {
        return label;
    }

    /** One line saying what is attached. */
    public String description() {
        return description;
    }

    /** Whether this variant attaches a Sextant listener. */
    public boolean isSextant() {
        return this == SEXTANT_DEFAULT || this == SEXTANT_FULL || this == SEXTANT_FULL_GOVERNED;
    }

    /**
     * The variants named in a comma-separated list of labels, or every variant for {@code all};
     * {@link #NONE}, the baseline, is always included and always first.
     *
     * @throws IllegalArgumentException for an unknown label
     */
    public static List<Variant> parse(String list) {
        if (list.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        List<Variant> chosen = new ArrayList<>();
        chosen.add(NONE);
        for (String word : list.split(",")) {
            String w = word.trim().toLowerCase(Locale.ROOT);
            Variant found = null;
            for (Variant v : values()) {
                if (v.label.equals(w)) {
                    found = v;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("'" + word.trim() + "' is not a variant; use all or a list of "
                        + labels());
            }
            if (!chosen.contains(found)) {
                chosen.add(found);
            }
        }
        chosen.sort(null);
        return chosen;
    }

    private static String labels() {
        StringBuilder sb = new StringBuilder();
        for (Variant v : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(v.label);
        }
        return sb.toString();
    }
}
