package dev.sextant.dl4j.spark;

import dev.sextant.demo.data.FashionMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run-spark-demo.sh}'s program: flags, and a short real run pushing to a real Pushgateway. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SparkDemoTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return SparkDemo.run(List.of(args), out, err);
    }

    @Test
    void helpListsTheFlags() {
        assertEquals(SparkDemo.OK, run("--help"));
        String help = outBytes.toString(StandardCharsets.UTF_8);
        for (String flag : List.of("--pushgateway", "--master", "--examples", "--averaging", "--event-log-dir")) {
            assertTrue(help.contains(flag), "--help should list " + flag + ":\n" + help);
        }
    }

    @Test
    void badFlagsFailBeforeSparkStartsNamingTheFlag() {
        assertEquals(SparkDemo.USAGE, run("--averaging", "0"));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).startsWith("error: --averaging:"), errBytes.toString());
        errBytes.reset();
        assertEquals(SparkDemo.USAGE, run("--dataset", "/nonexistent"));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("apt install dataset-fashion-mnist"), errBytes.toString());
        errBytes.reset();
        assertEquals(SparkDemo.USAGE, run("--examples", "64", "--pushgateway", "localhost:9091"));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).startsWith("error: pushgateway:"), errBytes.toString());
    }

    /**
     * 640 examples, batch 32, 2 workers averaging every 2 mini-batches: 5 rounds of 2 partitions,
     * 20 steps. Needs the Debian package dataset-fashion-mnist (./run-tests.sh installs it).
     */
    @Test
    void aShortRunTrainsAndPushesEveryWorkersSeries(@TempDir Path work) throws Exception {
        assertTrue(!FashionMnist.absent(FashionMnist.DEBIAN_DIR), "Fashion-MNIST is missing from " + FashionMnist.DEBIAN_DIR
                + ": apt install dataset-fashion-mnist (./run-tests.sh installs it)");
        try (PushgatewayProcess pushgateway = PushgatewayProcess.start(work)) {
            int code = run("--pushgateway", pushgateway.url(), "--examples", "640", "--averaging", "2", "--every", "1",
                    "--run-id", "spark-demo-test");
            String output = outBytes.toString(StandardCharsets.UTF_8);
            assertEquals(SparkDemo.OK, code, output + errBytes);
            assertTrue(output.contains("10 partition(s) trained, 20 steps, 640 examples"), output);
            Matcher accuracy = Pattern.compile("test accuracy: ([0-9.]+) on fashion-mnist test").matcher(output);
            assertTrue(accuracy.find(), output);
            // 20 SGD steps of an MLP on 10 balanced classes: clearly above chance (0.1).
            assertTrue(Double.parseDouble(accuracy.group(1)) > 0.3, output);

            String pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pushgateway.url() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(Pattern.compile("(?m)^sextant_loss\\{[^}]*run=\"spark-demo-test\"[^}]*worker=\"0\"").matcher(pushed).find(),
                    "worker 0's loss reached the Pushgateway:\n" + pushed);
            assertTrue(Pattern.compile("(?m)^sextant_spark_run_steps_total\\{[^}]*run=\"spark-demo-test\"[^}]*} 20$")
                    .matcher(pushed).find(), "the driver's summary reached the Pushgateway:\n" + pushed);
        }
    }
}
