package dev.sextant.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report <events.jsonl> [--out report.html] [--run <id>]}: turns a run's JSON-lines event
 * log (also a partial one from a crashed run) into one self-contained HTML file with the live
 * page's charts and a summary table. Opens offline: uPlot, the script and the data are inlined.
 */
public final class RunReport {
    /** Exit status: report written. */
    public static final int OK = 0;
    /** Exit status: the log could not be reported (missing, empty, not a Sextant log) or the report not written. */
    public static final int BAD_INPUT = 1;
    /** Exit status: wrong arguments. */
    public static final int USAGE = 2;

    static final String HELP = """
            usage: report <events.jsonl> [--out report.html] [--run <id>]

            Writes one self-contained HTML file (charts and data inlined; opens offline) from a Sextant
            JSON-lines event log: loss and learning rate, sharpness against the stability threshold,
            gradient noise scale against the batch size, per-layer drift and probe durations by step,
            and a summary table (steps, final and peak sharpness and threshold ratio, noise scale
            first/last/median, largest drift per layer, conditions, probe failures, overhead).

              <events.jsonl>   the event log (builder .eventLog(...), demo --events); a log cut off by a
                               crash is read up to its last complete line
              --out FILE       where to write the report (default: the log's name with .html)
              --run ID         which run to report when the log holds several (default: the last)
              --help           this text

            Exit status: 0 written, 1 the log cannot be reported or the report not written, 2 wrong arguments.
            """;

    private RunReport() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @return {@link #OK}, {@link #BAD_INPUT} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path log = null;
        Path target = null;
        String run = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    out.print(HELP);
                    return OK;
                }
                case "--out", "--run" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, a + " needs a value");
                    }
                    String v = args[++i];
                    if (a.equals("--out")) {
                        target = Path.of(v);
                    } else {
                        run = v;
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        return usage(err, "unknown option " + a);
                    }
                    if (log != null) {
                        return usage(err, "one event log at a time (got " + log + " and " + a + ")");
                    }
                    log = Path.of(a);
                }
            }
        }
        if (log == null) {
            return usage(err, "give the event log to report");
        }
        if (target == null) {
            target = defaultTarget(log);
        }
        RunLog read;
        try {
            read = EventLogReader.read(log);
        } catch (UnreadableLogException e) {
            err.println("report: " + e.getMessage());
            return BAD_INPUT;
        }
        List<String> warnings = new ArrayList<>(read.warnings());
        List<String> runs = read.runs();
        if (run == null) {
            run = runs.get(runs.size() - 1);
            if (runs.size() > 1) {
                warnings.add(log + " holds " + runs.size() + " runs (" + String.join(", ", runs) + "); reporting the last, "
                        + run + " (choose another with --run)");
            }
        } else if (!runs.contains(run)) {
            err.println("report: " + log + " has no run " + run + "; its runs: " + String.join(", ", runs));
            return BAD_INPUT;
        }
        for (String w : warnings) {
            err.println("report: warning: " + w);
        }
        RunSummary s = RunSummary.of(run, read.events());
        String html = ReportHtml.render(read, s, warnings);
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(target, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("report: cannot write " + target + ": " + e);
            return BAD_INPUT;
        }
        out.println("report: wrote " + target + " (run " + run + ", steps " + s.firstStep() + "–" + s.lastStep() + ", "
                + s.samples() + " samples" + (warnings.isEmpty() ? "" : ", " + warnings.size() + " warning(s)") + ")");
        return OK;
    }

    /** {@code dir/name.jsonl} → {@code dir/name.html}; any other name gets {@code .html} appended. */
    static Path defaultTarget(Path log) {
        String name = log.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return log.resolveSibling(stem + ".html");
    }

    private static int usage(PrintStream err, String problem) {
        err.println("report: " + problem);
        err.print(HELP);
        return USAGE;
    }
}
