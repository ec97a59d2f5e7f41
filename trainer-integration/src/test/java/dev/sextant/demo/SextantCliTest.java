package dev.sextant.demo;

import dev.sextant.validation.ValidationCase;
import dev.sextant.validation.ValidationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command dispatch, help, exit codes and the validation table. */
class SextantCliTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(SextantCli cli, String... args) {
        return cli.run(Arrays.asList(args), out, err);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private static ValidationCase fixedCase(String name, ValidationResult... results) {
        return new ValidationCase() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ValidationResult> run() {
                return List.of(results);
            }
        };
    }

    @Test
    void helpPrintsEveryFlagAndEveryCommand() {
        assertEquals(SextantCli.OK, run(SextantCli.standard(), "--help"));

        for (Flag f : TrainOptions.FLAGS) {
            assertTrue(out().contains(f.name()), f.name());
        }
        for (String command : List.of("train", "validate", "help")) {
            assertTrue(out().contains("\n  " + command + " "), command);
        }
    }

    @Test
    void helpWinsOverABadFlagAndWorksPerCommand() {
        assertEquals(SextantCli.OK, run(SextantCli.standard(), "train", "--lr", "nope", "--help"));
        assertEquals(SextantCli.OK, run(SextantCli.standard(), "help", "validate"));
        assertTrue(out().contains("usage: java -jar sextant-demo.jar validate"));
    }

    @Test
    void badCommandLinesExitWith2AndSayWhatToChange() {
        assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "--batch", "0"));
        assertTrue(err().contains("error: --batch: 0 must be at least 1"), err());

        assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "trian"));
        assertTrue(err().contains("unknown command 'trian'; commands: train, validate, report, bench, help"), err());

        assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "validate", "--fast"));
        assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "help", "nothing"));
        assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "report"));
    }

    @Test
    void aMissingExplicitDatasetIsAUsageError() {
        assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "--dataset", "/nonexistent/fashion", "--port", "-1"));
        assertTrue(err().contains("--dataset: /nonexistent/fashion holds no Fashion-MNIST IDX files"), err());
    }

    @Test
    void aTakenPortAndAnUnwritableEventLogAreUsageErrorsBeforeAnyTraining(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "--dataset", "synthetic", "--port", port,
                    "--events", dir.resolve("e.jsonl").toString()));
        }
        assertTrue(err().contains("choose another port"), err());

        // A regular file where the log's directory should be: the log cannot be created.
        Path file = Files.createFile(dir.resolve("file"));
        assertEquals(SextantCli.USAGE, run(SextantCli.standard(), "--dataset", "synthetic", "--port", "-1",
                "--events", file.resolve("e.jsonl").toString()));
        assertTrue(err().contains("cannot write its event log"), err());
        assertFalse(out().contains("training "), out());
    }

    @Test
    void validatePrintsOneRowPerQuantityAndExitsWith1OnAFailure() {
        // Relative errors: |10.05 − 10| / 10 = 5e-3 ≤ 1e-2 passes; |2.5 − 2| / 2 = 0.25 > 0.1 fails.
        SextantCli cli = new SextantCli(List.of(new ValidateCommand(() -> List.of(
                fixedCase("quadratic", new ValidationResult("lambda1", 10, 10.05, 1e-2, "O(eps^2)")),
                fixedCase("noisy", new ValidationResult("trace", 2, 2.5, 0.1, "Hutchinson, 10 probes"))))));

        assertEquals(SextantCli.FAILED, run(cli, "validate"));

        String[] lines = out().split("\n");
        String pass = Arrays.stream(lines).filter(l -> l.contains("lambda1")).findFirst().orElseThrow();
        String fail = Arrays.stream(lines).filter(l -> l.contains("trace")).findFirst().orElseThrow();
        assertTrue(pass.matches(".*10\\.0000 +10\\.0500 +0\\.00500000 +0\\.0100000 +PASS.*"), pass);
        assertTrue(fail.matches(".*2\\.00000 +2\\.50000 +0\\.250000 +0\\.100000 +FAIL +\\(Hutchinson, 10 probes\\).*"), fail);
        assertTrue(out().contains("1 passed, 1 failed"));
    }

    @Test
    void validatePassesWhenEveryQuantityPassesAndFailsWhenACaseThrows() {
        SextantCli passing = new SextantCli(List.of(new ValidateCommand(() -> List.of(
                fixedCase("exact", new ValidationResult("x", 1, 1, 0, "exact"))))));
        assertEquals(SextantCli.OK, run(passing, "validate"));

        ValidationCase broken = new ValidationCase() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public List<ValidationResult> run() {
                throw new IllegalStateException("no convergence");
            }
        };
        SextantCli throwing = new SextantCli(List.of(new ValidateCommand(() -> List.of(broken))));
        assertEquals(SextantCli.FAILED, run(throwing, "validate"));
        assertTrue(out().contains("FAIL: the case threw java.lang.IllegalStateException: no convergence"), out());
    }

    @Test
    void anEmptySuiteSaysSoAndPasses() {
        SextantCli empty = new SextantCli(List.of(new ValidateCommand(List::of)));

        assertEquals(SextantCli.OK, run(empty, "validate"));
        assertTrue(out().contains("no validation cases"));
    }
}
