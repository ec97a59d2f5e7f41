package dev.sextant.e2e;

import dev.sextant.e2e.sample.SampleTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code sextant-agent.jar} attached with {@code -javaagent} to {@link SampleTraining}, a DL4J
 * program that knows nothing of Sextant, in a child JVM whose class path is what such a program
 * has: DL4J and ND4J, no Sextant, Micrometer, Prometheus client or ByteBuddy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaAgentTest {
    private static final int EVERY = 5;
    private static final String RUN = "agent-e2e";
    private static final String MLP = "MultiLayerNetwork-1";
    private static final String GRAPH = "ComputationGraph-2";
    /** A child JVM loads ND4J's natives and trains ~150 small steps: a few seconds; this bounds a hang. */
    private static final long CHILD_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void theAgentMonitorsEveryNetworkOfAnUnmodifiedProgramAndChangesNoParameter() throws Exception {
        int port = freePort();
        Path events = dir.resolve("events").resolve("events.jsonl");
        Path monitoredOut = dir.resolve("with-agent");
        // fixedIntervals: every probe runs exactly every EVERY steps (the overhead governor would stretch the
        // weight probe's interval on these tiny networks, and the last served values would not be the final ones).
        String agent = "-javaagent:" + agentJar() + "=port=" + port + ",every=" + EVERY + ",fixedIntervals=true,runId="
                + RUN + ",eventLog=" + events;

        Child monitored = Child.start(dir.resolve("with-agent.err"), List.of(agent), monitoredOut, CHILD_SECONDS);
        String metrics;
        int[] steps;
        try {
            steps = monitored.trainedSteps();
            // The program lingers after training until its standard input closes: /metrics is read while it runs.
            metrics = get("http://127.0.0.1:" + port + "/metrics");
        } finally {
            monitored.closeInput();
        }
        assertEquals(0, monitored.awaitExit(), monitored.describe());
        String stderr = monitored.stderr();
        assertTrue(stderr.contains("[sextant-agent] " + MLP + ": attached (run " + RUN + "), metrics at http://127.0.0.1:"
                + port + "/metrics"), stderr);
        assertTrue(stderr.contains("[sextant-agent] " + GRAPH + ": attached"), stderr);
        assertFalse(stderr.contains("[sextant-agent] could not") || stderr.contains("[sextant-agent] cannot"), stderr);

        int mlpSteps = steps[0];
        int graphSteps = steps[1];
        assertEquals(96, mlpSteps, "2 x 6 epochs of 8 batches");
        assertEquals(56, graphSteps, "7 epochs of 8 batches");
        // DL4J numbers iterations from 0; probes run at multiples of EVERY. The sample's step counts make its
        // last step a sampled one, so the served values are those of the final parameters.
        assertEquals(0, (mlpSteps - 1) % EVERY);
        assertEquals(0, (graphSteps - 1) % EVERY);
        assertEquals(mlpSteps - 1, value(metrics, "sextant_step", MLP, null, null), 0.0,
                "the MultiLayerNetwork was sampled until its last step, across setListeners(...) mid-training");
        assertEquals(graphSteps - 1, value(metrics, "sextant_step", GRAPH, null, null), 0.0,
                "the ComputationGraph, trained from an iterator, too");

        // Per-layer series of both networks on the one endpoint.
        INDArray mlpParams = read(monitoredOut.resolve("mlp.params"));
        int w0 = SampleTraining.IN * SampleTraining.HIDDEN;
        int w1Start = w0 + SampleTraining.HIDDEN;
        int w1 = SampleTraining.HIDDEN * SampleTraining.OUT;
        // params() of a MultiLayerNetwork is [W0 | b0 | W1 | b1]. The probe and this test reduce the same float32
        // values with ND4J's norm2; the sums may be ordered differently, so they agree to float32 rounding (1e-6).
        double norm0 = norm(mlpParams, 0, w0);
        double norm1 = norm(mlpParams, w1Start, w1);
        assertEquals(norm0, value(metrics, "sextant_weight_norm", MLP, "0", "W"), 1e-6 * norm0, "layer 0 W");
        assertEquals(norm1, value(metrics, "sextant_weight_norm", MLP, "1", "W"), 1e-6 * norm1, "layer 1 W");
        for (String layer : List.of("hidden", "out")) {
            for (String metric : List.of("sextant_weight_norm", "sextant_update_norm", "sextant_gradient_norm")) {
                double v = value(metrics, metric, GRAPH, layer, "W");
                assertTrue(v > 0 && Double.isFinite(v), metric + " of graph layer " + layer + ": " + v);
            }
        }
        for (String line : metrics.lines().filter(l -> l.startsWith("sextant_probe_failures_total{")).toList()) {
            assertTrue(line.endsWith(" 0.0"), "no probe failed: " + line);
        }

        // One event log per network, up to the last sampled step.
        assertLastStep(events.resolveSibling("events-" + MLP + ".jsonl"), MLP, mlpSteps - 1);
        assertLastStep(events.resolveSibling("events-" + GRAPH + ".jsonl"), GRAPH, graphSteps - 1);

        // The same program without the agent, same seeds: the same parameters, bit for bit.
        Path plainOut = dir.resolve("without-agent");
        Child plain = Child.start(dir.resolve("without-agent.err"), List.of(), plainOut, CHILD_SECONDS);
        try {
            assertArrayEquals(steps, plain.trainedSteps());
        } finally {
            plain.closeInput();
        }
        assertEquals(0, plain.awaitExit(), plain.describe());
        assertFalse(plain.stderr().contains("[sextant-agent]"));
        for (String file : List.of("mlp.params", "graph.params")) {
            assertArrayEquals(Files.readAllBytes(plainOut.resolve(file)), Files.readAllBytes(monitoredOut.resolve(file)),
                    file + ": monitoring changed the training");
        }
    }

    @Test
    void aBadSettingStopsTheJvmBeforeMainWithAMessageNamingIt() throws Exception {
        Path out = dir.resolve("never");
        Child c = Child.start(dir.resolve("bad.err"), List.of("-javaagent:" + agentJar() + "=port=abc"), out, CHILD_SECONDS);
        c.closeInput();
        assertEquals(1, c.awaitExit(), c.describe());
        String stderr = c.stderr();
        assertTrue(stderr.contains("[sextant-agent] bad setting: port=abc (in the -javaagent argument): not a whole number; "
                + "allowed: 1-65535, 0 for any free port, -1 to serve no metrics"), stderr);
        assertTrue(stderr.contains("the JVM stops here"), stderr);
        assertFalse(Files.exists(out), "main() never ran");
    }

    @Test
    void anUnknownKeyStopsTheJvmAndSuggestsTheKnownOne() throws Exception {
        Child c = Child.start(dir.resolve("typo.err"), List.of("-javaagent:" + agentJar() + "=evry=50"),
                dir.resolve("never"), CHILD_SECONDS);
        c.closeInput();
        assertEquals(1, c.awaitExit(), c.describe());
        assertTrue(c.stderr().contains("unknown setting evry (key in the -javaagent argument); did you mean every?"),
                c.stderr());
    }

    @Test
    void sextantAlsoOnTheApplicationClassPathStopsTheJvm() throws Exception {
        // The test class path holds Sextant's modules: a program that bundles Sextant itself.
        Child c = Child.start(dir.resolve("twice.err"), List.of("-javaagent:" + agentJar()), dir.resolve("never"),
                CHILD_SECONDS, System.getProperty("java.class.path"));
        c.closeInput();
        assertEquals(1, c.awaitExit(), c.describe());
        assertTrue(c.stderr().contains("Sextant is on the class path 2 times"), c.stderr());
    }

    private static Path agentJar() {
        String p = System.getProperty("sextant.agent.jar");
        assertNotNull(p, "system property sextant.agent.jar (set by src/pom.xml for surefire)");
        Path jar = Path.of(p);
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build trainer-integration first (mvn package or verify)");
        return jar;
    }

    /**
     * The test class path without what a DL4J program does not have: Sextant's own modules (found by
     * their classes) and the libraries the agent bundles, relocated, itself.
     */
    static String applicationClassPath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String unix = entry.replace(File.separatorChar, '/');
            boolean bundled = unix.contains("/io/micrometer/") || unix.contains("/io/prometheus/")
                    || unix.contains("/org/hdrhistogram/") || unix.contains("/net/bytebuddy/")
                    || unix.contains("/org/jspecify/");
            if (!entry.isEmpty() && !bundled && !holdsSextant(Path.of(entry))) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private static boolean holdsSextant(Path entry) {
        String marker = "dev/sextant/probe/Probe.class";
        if (Files.isDirectory(entry)) {
            return Files.exists(entry.resolve(marker)) || Files.exists(entry.resolve("dev/sextant/dl4j"));
        }
        if (!Files.isRegularFile(entry)) {
            return false;
        }
        try (ZipFile jar = new ZipFile(entry.toFile())) {
            return jar.getEntry(marker) != null || jar.getEntry("dev/sextant/dl4j/SextantListener.class") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    /** The value of one series in Prometheus text format; layer and param null for a network-wide metric. */
    private static double value(String metrics, String name, String model, String layer, String param) {
        String labels = (layer == null ? "" : "layer=\"" + layer + "\",") + "model=\"" + model + "\","
                + (param == null ? "" : "param=\"" + param + "\",") + "run=\"" + RUN + "\"";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
        if (!m.find()) {
            fail(name + "{" + labels + "} not served:\n" + metrics);
        }
        return Double.parseDouble(m.group(1));
    }

    private static INDArray read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            return Nd4j.read(in);
        }
    }

    /** ||params[from, from + length)|| of a flattened parameter vector. */
    private static double norm(INDArray params, int from, int length) {
        return params.reshape(params.length()).get(NDArrayIndex.interval(from, from + length)).norm2Number().doubleValue();
    }

    private static void assertLastStep(Path log, String model, int step) throws IOException {
        assertTrue(Files.isRegularFile(log), log + " written");
        List<String> lines = Files.readAllLines(log);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("\"model\":\"" + model + "\",\"step\":" + step + ","), last);
    }

    /** A child JVM running SampleTraining; standard output read line by line, standard error to a file. */
    private static final class Child {
        private final Process process;
        private final Path stderrFile;
        private final long seconds;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Child(Process process, Path stderrFile, long seconds) {
            this.process = process;
            this.stderrFile = stderrFile;
            this.seconds = seconds;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path stderrFile, List<String> jvmOptions, Path out, long seconds) throws IOException {
            return start(stderrFile, jvmOptions, out, seconds, applicationClassPath());
        }

        static Child start(Path stderrFile, List<String> jvmOptions, Path out, long seconds, String classPath)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx1g");
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classPath, SampleTraining.class.getName(), out.toString(),
                    String.valueOf(seconds)));
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderrFile.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            // The child's settings come from its -javaagent argument only.
            pb.environment().keySet().removeIf(k -> k.startsWith("SEXTANT_"));
            return new Child(pb.start(), stderrFile, seconds);
        }

        /** Waits for the "trained mlp=N graph=M" line; returns {N, M}. */
        int[] trainedSteps() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith("trained ")) {
                    Matcher m = Pattern.compile("trained mlp=(\\d+) graph=(\\d+)").matcher(line);
                    assertTrue(m.matches(), line);
                    return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    fail("the training JVM ended before training finished: " + describe());
                }
            }
            fail("no 'trained' line within " + seconds + " s: " + describe());
            return null;
        }

        void closeInput() throws IOException {
            process.getOutputStream().close();
        }

        /** Waits for the JVM to end by itself (it is killed if it does not); returns its exit code. */
        int awaitExit() throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("the JVM did not end by itself within " + seconds + " s: " + describe());
            }
            return process.exitValue();
        }

        String stderr() throws IOException {
            return Files.readString(stderrFile);
        }

        String describe() {
            try {
                return "exit " + (process.isAlive() ? "(running)" : process.exitValue()) + ", stderr:\n"
                        + Arrays.stream(stderr().split("\n")).filter(l -> !l.contains(" INFO "))
                        .collect(Collectors.joining("\n"));
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
