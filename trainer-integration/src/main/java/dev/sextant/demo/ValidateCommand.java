package dev.sextant.demo;

import dev.sextant.validation.ValidationCase;
import dev.sextant.validation.ValidationResult;
import dev.sextant.validation.ValidationSuite;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code validate}: runs every closed-form case of {@link ValidationSuite} and prints, per
 * estimated quantity, the exact value, the estimate, the relative error, the tolerance and
 * PASS/FAIL. Exit code 1 when any quantity fails or a case throws.
 */
public final class ValidateCommand implements Command {
    private final Supplier<List<ValidationCase>> cases;

    /** Runs the suite's cases. */
    public ValidateCommand() {
        this(ValidationSuite::cases);
    }

    /** Runs the given cases (tests use this to check the table and the exit code). */
    public ValidateCommand(Supplier<List<ValidationCase>> cases) {
        this.cases = cases;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "check Sextant's estimators against problems with closed-form answers";
    }

    @Override
    public String help() {
        return "usage: java -jar sextant-demo.jar validate\n"
                + "Runs every closed-form validation case (seeded) and prints exact value, estimate, relative\n"
                + "error, tolerance and PASS/FAIL per quantity; exits with 1 when anything fails.\n";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        if (!args.isEmpty()) {
            throw new UsageException("validate takes no arguments; got " + String.join(" ", args));
        }
        List<ValidationCase> all = cases.get();
        if (all.isEmpty()) {
            out.println("no validation cases are registered in dev.sextant.validation.ValidationSuite");
            return SextantCli.OK;
        }
        int passed = 0;
        int failed = 0;
        for (ValidationCase c : all) {
            out.println(c.name());
            List<ValidationResult> results;
            try {
                results = c.run();
            } catch (RuntimeException e) {
                out.println("  FAIL: the case threw " + e);
                failed++;
                continue;
            }
            int width = "quantity".length();
            for (ValidationResult r : results) {
                width = Math.max(width, r.quantity().length());
            }
            String row = "  %-" + width + "s  %13s  %13s  %11s  %11s  %s%n";
            out.printf(Locale.ROOT, row, "quantity", "exact", "estimate", "rel. error", "tolerance", "");
            for (ValidationResult r : results) {
                boolean ok = r.passed();
                out.printf(Locale.ROOT, row, r.quantity(), sci(r.exact()), sci(r.estimate()),
                        sci(r.relativeError()), sci(r.tolerance()), ok ? "PASS" : "FAIL  (" + r.why() + ")");
                if (ok) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        out.printf(Locale.ROOT, "%d passed, %d failed%n", passed, failed);
        return failed == 0 ? SextantCli.OK : SextantCli.FAILED;
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
