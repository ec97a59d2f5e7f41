package dev.sextant.dl4j;

import dev.sextant.export.SampleSink;
import dev.sextant.probe.Sample;

import java.util.ArrayList;
import java.util.List;

/** Keeps every sample and failure, for assertions. */
final class CapturingSink implements SampleSink {
    final List<Sample> samples = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void accept(Sample sample) {
        samples.add(sample);
    }

    @Override
    public void probeFailed(String probe, long step, Throwable cause) {
        failures.add(cause);
    }

    Sample last(String probe) {
        for (int i = samples.size() - 1; i >= 0; i--) {
            if (samples.get(i).probe().equals(probe)) {
                return samples.get(i);
            }
        }
        return null;
    }
}
