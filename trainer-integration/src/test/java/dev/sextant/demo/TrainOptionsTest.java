package dev.sextant.demo;

import dev.sextant.demo.data.FashionMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flags of {@code train}: defaults, every flag, and a message naming the flag for bad values. */
class TrainOptionsTest {

    private static TrainOptions parse(String... args) throws UsageException {
        return TrainOptions.parse(Arrays.asList(args));
    }

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaults() throws UsageException {
        TrainOptions o = parse();

        assertEquals(0, o.steps());
        assertEquals(1, o.epochs());
        assertEquals(64, o.batch());
        assertEquals(OptimizerKind.ADAM, o.optimizer());
        assertEquals(1e-3, o.learningRate());
        assertEquals(ModelKind.MLP, o.model());
        assertEquals(FashionMnist.DEBIAN_DIR, o.dataset());
        assertFalse(o.datasetExplicit());
        assertEquals("127.0.0.1", o.host());
        assertEquals(9404, o.port());
        assertEquals(Path.of("sextant-events.jsonl"), o.events());
        assertEquals(10, o.every());
        assertEquals(500, o.curvatureEvery());
        assertEquals(100, o.noiseEvery());
        assertEquals(42, o.seed());
        assertNull(o.runId());
        assertEquals(2.0, o.progressSeconds());
        assertEquals(0.03, o.budget());
        assertEquals(1, o.workers(), "one network unless --workers asks for ParallelWrapper");
    }

    @Test
    void everyFlagSetsItsField() throws UsageException {
        TrainOptions o = parse("--steps", "500", "--epochs", "3", "--batch", "128", "--optimizer", "sgd",
                "--lr", "0.05", "--model", "cnn", "--dataset", "/data/fm", "--port", "0", "--host", "0.0.0.0",
                "--events", "/tmp/e.jsonl", "--every", "25", "--curvature-every", "0", "--noise-every", "7", "--seed", "-7", "--run-id", "exp-1.a",
                "--progress-seconds", "0.5", "--budget", "0.1");

        assertEquals(500, o.steps());
        assertEquals(3, o.epochs());
        assertEquals(128, o.batch());
        assertEquals(OptimizerKind.SGD, o.optimizer());
        assertEquals(0.05, o.learningRate());
        assertEquals(ModelKind.CNN, o.model());
        assertEquals(Path.of("/data/fm"), o.dataset());
        assertTrue(o.datasetExplicit());
        assertEquals(0, o.port());
        assertEquals("0.0.0.0", o.host());
        assertEquals(Path.of("/tmp/e.jsonl"), o.events());
        assertEquals(25, o.every());
        assertEquals(0, o.curvatureEvery());
        assertEquals(7, o.noiseEvery());
        assertEquals(-7, o.seed());
        assertEquals("exp-1.a", o.runId());
        assertEquals(0.5, o.progressSeconds());
        assertEquals(0.1, o.budget());
        assertTrue(Double.isNaN(parse("--budget", "off").budget()), "off: fixed intervals");
        assertEquals(java.util.Map.of(300, 0.05, 600, 1e-3), parse("--lr-at", "600:1e-3,300:0.05").lrChanges());
        assertTrue(parse().lrChanges().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"sgd, 0.1", "nesterovs, 0.05", "adam, 0.001", "ADAM, 0.001"})
    void eachOptimizerHasItsDefaultLearningRate(String optimizer, double lr) throws UsageException {
        assertEquals(lr, parse("--optimizer", optimizer).learningRate());
    }

    @Test
    void stepsAloneLiftTheEpochLimitAndBothTogetherKeepBoth() throws UsageException {
        assertEquals(Integer.MAX_VALUE, parse("--steps", "30").epochs());
        assertEquals(2, parse("--steps", "30", "--epochs", "2").epochs());
    }

    @Test
    void equalsSignFormPortMinusOneAndSyntheticDataset() throws UsageException {
        TrainOptions o = parse("--batch=32", "--port", "-1", "--dataset=synthetic");

        assertEquals(32, o.batch());
        assertEquals(-1, o.port());
        assertNull(o.dataset());
        assertTrue(o.datasetExplicit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--steps|0|--steps: 0 must be at least 1",
            "--steps|ten|--steps: 'ten' is not a whole number",
            "--epochs|-1|--epochs: -1 must be at least 1",
            "--batch|9999999999|--batch: 9999999999 is too large",
            "--lr|0|--lr: 0 must be a positive finite number",
            "--lr|NaN|--lr: NaN must be a positive finite number",
            "--lr|fast|--lr: 'fast' is not a number",
            "--optimizer|rmsprop|--optimizer: 'rmsprop' is not one of sgd, nesterovs, adam",
            "--model|resnet|--model: 'resnet' is not one of mlp, cnn",
            "--port|65536|--port: 65536 is out of range",
            "--port|http|--port: 'http' is not a port number",
            "--every|0|--every: 0 must be at least 1",
            "--curvature-every|-5|--curvature-every: -5 must be a number of steps, or 0 to turn these probes off",
            "--noise-every|often|--noise-every: 'often' is not a whole number",
            "--seed|1.5|--seed: '1.5' is not a whole number",
            "--run-id|a b|--run-id: 'a b' is not allowed",
            "--progress-seconds|-2|--progress-seconds: -2 must be 0 or a positive number",
            "--budget|3|--budget: '3'; give a fraction of training time in (0, 1]",
            "--budget|some|--budget: 'some'; give a fraction",
            "--lr-at|300|--lr-at: '300'; give STEP:RATE",
            "--lr-at|0:0.1|--lr-at: '0:0.1'; give STEP:RATE with a step of at least 1",
            "--lr-at|5:-1|--lr-at: '5:-1'; give STEP:RATE",
            "--workers|0|--workers: 0 is out of range; give 1 for one network or 2-64 for ParallelWrapper workers",
            "--workers|65|--workers: 65 is out of range",
            "--workers|two|--workers: 'two' is not a whole number; give 1 for one network or 2-64",
            "--workers|1.5|--workers: '1.5' is not a whole number"})
    void badValuesNameTheFlag(String flag, String value, String message) {
        String e = error(flag, value);
        assertTrue(e.startsWith(message), e);
    }

    @Test
    void workersFromOneToSixtyFourAreAccepted() throws UsageException {
        assertEquals(1, parse("--workers", "1").workers());
        assertEquals(2, parse("--workers=2").workers());
        assertEquals(64, parse("--workers", "64").workers());
    }

    /** A round gives every worker one mini-batch: a step budget below one round leaves a worker idle. */
    @Test
    void aStepBudgetSmallerThanOneRoundOfTheWorkersIsRefused() throws UsageException {
        String e = error("--workers", "4", "--steps", "3");
        assertTrue(e.startsWith("--steps 3 with --workers 4: a round gives each of the 4 workers one mini-batch"), e);
        assertTrue(e.contains("give --steps of at least 4"), e);
        assertEquals(4, parse("--workers", "4", "--steps", "4").steps());
        assertEquals(3, parse("--workers", "1", "--steps", "3").steps());
    }

    @Test
    void helpListsWorkersAndWhatAStepIsWithWorkers() {
        assertTrue(TrainOptions.flagHelp().contains("--workers N"), TrainOptions.flagHelp());
        assertTrue(TrainOptions.flagHelp().contains("(default: 1: one network)"), TrainOptions.flagHelp());
        String help = new TrainCommand().help();
        assertTrue(help.contains("A step is one mini-batch of one worker: a round is N steps."), help);
        assertTrue(help.contains("worker=\"0\"..\"N-1\""), help);
    }

    @Test
    void unknownMissingRepeatedAndStrayArgumentsAreNamed() {
        assertTrue(error("--stpes", "5").startsWith("unknown flag --stpes"));
        assertTrue(error("--steps").startsWith("--steps needs a value: --steps N"));
        assertTrue(error("--steps", "--batch", "3").startsWith("--steps needs a value"));
        assertTrue(error("--seed", "1", "--seed", "2").startsWith("--seed is given twice"));
        assertTrue(error("fast").startsWith("unexpected argument 'fast'"));
        assertTrue(error("--dataset", "").startsWith("--dataset: empty"));
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        String help = TrainOptions.flagHelp();
        for (Flag f : TrainOptions.FLAGS) {
            assertTrue(help.contains(f.name()), f.name());
            if (f.defaultText() != null) {
                assertTrue(help.contains("(default: " + f.defaultText() + ")"), f.name());
            }
        }
        assertTrue(TrainOptions.wantsHelp(List.of("--lr", "x", "--help")));
    }
}
