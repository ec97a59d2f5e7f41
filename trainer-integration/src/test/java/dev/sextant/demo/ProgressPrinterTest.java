package dev.sextant.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rate limit and content of the progress lines, on a hand-driven clock. */
class ProgressPrinterTest {
    private long now;

    @Test
    void printsTheFirstStepThenAtMostOneLinePerIntervalThenTheLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressPrinter p = new ProgressPrinter(out, 2.0, new ProbeDigest(Set.of()), new BatchAccuracyListener(),
                10, () -> now);

        now = 100_000_000L;             // step 1 after 0.1 s: always printed
        p.step(1, 0, 2.0, 64);
        now += 1_000_000_000L;          // steps 2, 3 within the 2 s interval: silent
        p.step(2, 0, 1.0, 64);
        p.step(3, 0, 0.5, 64);
        now += 1_000_000_000L;          // step 4 at 2.0 s after the last line: printed, mean loss of 2..4
        p.step(4, 0, 0.3, 64);
        now += 500_000_000L;
        p.step(5, 1, 0.2, 32);
        p.finish(5, 1);                 // the last step always gets its line

        // Accuracy is absent (the listener saw no batch); ex/s = examples since the last line / seconds.
        assertEquals(String.join("\n",
                "step 1/10  epoch 0  loss 2.0000",
                "step 4/10  epoch 0  loss 0.6000  96 ex/s",
                "step 5/10  epoch 1  loss 0.2000  64 ex/s", ""), bytes.toString(StandardCharsets.UTF_8));
    }
}
