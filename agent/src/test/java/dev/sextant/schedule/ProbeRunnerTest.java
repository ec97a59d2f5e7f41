package dev.sextant.schedule;

import dev.sextant.export.SampleSink;
import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Probe;
import dev.sextant.probe.Readings;
import dev.sextant.probe.Sample;
import dev.sextant.probe.StepView;
import dev.sextant.testing.TestStep;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeRunnerTest {
    static final MetricSpec X = MetricSpec.global("sextant_test_x", null, "test value");

    /** Records the steps it ran at; throws at the steps listed in {@code failAt}. */
    static final class StepProbe implements Probe {
        final String name;
        final List<Long> ran = new ArrayList<>();
        final List<Long> failAt;

        StepProbe(String name, List<Long> failAt) {
            this.name = name;
            this.failAt = failAt;
        }

        @Override public String name() { return name; }
        @Override public List<MetricSpec> metrics() { return List.of(X); }

        @Override
        public void sample(StepView step, Readings out) {
            ran.add(step.step());
            if (failAt.contains(step.step()) || failAt.contains(-1L)) {
                throw new IllegalStateException("boom at " + step.step());
            }
            out.put(X, step.step());
        }
    }

    static final class Recording implements SampleSink {
        final List<Sample> samples = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        @Override public void accept(Sample s) { samples.add(s); }
        @Override public void probeFailed(String probe, long step, Throwable cause) { failures.add(probe + "@" + step); }
    }

    @Test
    void eachProbeRunsOnItsOwnInterval() {
        StepProbe every2 = new StepProbe("a", List.of());
        StepProbe every3 = new StepProbe("b", List.of());
        Recording sink = new Recording();
        ProbeRunner runner = new ProbeRunner(List.of(new ProbeRunner.Scheduled(every2, Schedule.every(2)),
                new ProbeRunner.Scheduled(every3, Schedule.every(3))), List.of(sink));
        TestStep step = TestStep.single(Nd4j.zeros(2));
        for (long s = 0; s < 10; s++) {
            step.step = s;
            assertEquals(s % 2 == 0 || s % 3 == 0, runner.anyDue(s), "anyDue at " + s);
            runner.run(step);
        }
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L), every2.ran);
        assertEquals(List.of(0L, 3L, 6L, 9L), every3.ran);
        assertEquals(9, sink.samples.size());
        assertEquals(9.0, sink.samples.get(8).value(X));
    }

    @Test
    void aFailingProbeIsCountedAndBacksOffWhileOthersGoOn() {
        StepProbe failing = new StepProbe("bad", List.of(-1L));
        StepProbe healthy = new StepProbe("good", List.of());
        Recording sink = new Recording();
        ProbeRunner runner = new ProbeRunner(List.of(new ProbeRunner.Scheduled(failing, Schedule.everyStep()),
                new ProbeRunner.Scheduled(healthy, Schedule.everyStep())), List.of(sink));
        TestStep step = TestStep.single(Nd4j.zeros(2));
        for (long s = 0; s < 20; s++) {
            step.step = s;
            runner.run(step); // never throws
        }
        // Back-off doubles: fails at 0 (skip to 2), at 2 (skip to 6), at 6 (skip to 14), at 14 (skip to 30).
        assertEquals(List.of(0L, 2L, 6L, 14L), failing.ran);
        assertEquals(List.of("bad@0", "bad@2", "bad@6", "bad@14"), sink.failures);
        assertEquals(20, healthy.ran.size());
        assertEquals(20, sink.samples.size());
    }

    @Test
    void aProbeThatRecoversGoesBackToItsInterval() {
        StepProbe flaky = new StepProbe("flaky", List.of(0L));
        ProbeRunner runner = new ProbeRunner(List.of(new ProbeRunner.Scheduled(flaky, Schedule.everyStep())),
                List.of(new Recording()));
        TestStep step = TestStep.single(Nd4j.zeros(2));
        for (long s = 0; s < 6; s++) {
            step.step = s;
            runner.run(step);
        }
        assertEquals(List.of(0L, 2L, 3L, 4L, 5L), flaky.ran);
        assertTrue(runner.anyDue(6));
    }

    @Test
    void intervalBelowOneIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.every(0));
        assertTrue(e.getMessage().contains("every = 0"), e.getMessage());
    }

    /** Sleeps a fixed time per call: a probe whose cost the governor can see. */
    static final class SlowProbe implements Probe {
        final List<Long> ran = new ArrayList<>();
        @Override public String name() { return "slow"; }
        @Override public List<MetricSpec> metrics() { return List.of(X); }

        @Override
        public void sample(StepView step, Readings out) throws InterruptedException {
            ran.add(step.step());
            Thread.sleep(5);
        }
    }

    @Test
    void theGovernorStretchesAnExpensiveProbeAndTellsTheSinks() {
        SlowProbe slow = new SlowProbe();
        StepProbe cheap = new StepProbe("cheap", List.of());
        List<String> changes = new ArrayList<>();
        SampleSink sink = new SampleSink() {
            @Override public void accept(Sample s) { }
            @Override public void intervalChanged(String probe, long step, int interval) {
                changes.add(probe + "@" + step + "=" + interval);
            }
        };
        ProbeRunner runner = new ProbeRunner(List.of(new ProbeRunner.Scheduled(slow, Schedule.every(2)),
                new ProbeRunner.Scheduled(cheap, Schedule.every(1))), List.of(sink), new OverheadGovernor(0.5));
        TestStep step = TestStep.single(Nd4j.zeros(2));
        for (long s = 0; s < 100; s++) {
            step.step = s;
            runner.observeStep(1_000_000, 0); // 1 ms of training per step
            runner.run(step);
        }
        // >= 5 ms per call against a 0.5 ms/step budget: the slow probe must be at least 16 steps
        // apart (5/16 = 0.31 ms/step); the cheap one (microseconds) keeps its interval.
        int slowInterval = runner.intervals()[0];
        assertTrue(slowInterval >= 16, "slow interval " + slowInterval);
        // The cheap probe keeps (nearly) every step: a GC pause during one of its calls on a loaded
        // machine may briefly stretch it, so allow a few skipped steps but not a stretched schedule.
        assertTrue(runner.intervals()[1] <= 2, "cheap interval " + runner.intervals()[1]);
        assertTrue(cheap.ran.size() >= 90, "cheap probe ran " + cheap.ran.size() + " times");
        assertTrue(slow.ran.size() <= 10, "slow probe ran " + slow.ran);
        // its first call (step 0) is not counted as its cost; the second (step 2) is
        assertTrue(changes.get(0).startsWith("slow@2="), changes.toString());
    }

    @Test
    void aPauseBetweenStepsDoesNotCountAsTrainingTime() {
        ProbeRunner runner = new ProbeRunner(List.of(), List.of());
        for (int i = 0; i < 10; i++) {
            runner.observeStep(1_000_000, 100_000); // 1 ms training, 0.1 ms Sextant
        }
        runner.observeStep(60_000_000_000L, 100_000); // a one-minute evaluation between two fits
        // counted as at most 10 ms of training: 11 steps, 1.1 ms of Sextant over 20 ms of training
        assertEquals(1.1 / 20, runner.overheadRatio(), 1e-12);
    }
}
