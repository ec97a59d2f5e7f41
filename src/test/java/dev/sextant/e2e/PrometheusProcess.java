package dev.sextant.e2e;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server ({@value #BINARY}, the Debian package {@code prometheus}) run as a
 * child process for end-to-end tests: its configuration, TSDB and log live in a folder the test
 * owns, it listens on a free loopback port, and {@link #close()} always stops it.
 *
 * <pre>{@code
 * try (PrometheusProcess prometheus = PrometheusProcess.start(configYaml, tempDir)) {
 *     List<PrometheusProcess.Sample> up = prometheus.query("up");
 * }
 * }</pre>
 *
 * <p>A missing binary is a test failure, never a skip: the end-to-end checks are part of the suite.
 */
public final class PrometheusProcess implements AutoCloseable {
    /** The server binary the Debian package installs. */
    public static final String BINARY = "/usr/bin/prometheus";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final int BIND_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;
    private final Path workDir;
    private final Path logFile;
    private final HttpClient http;
    private final Thread shutdownHook;

    /** One series of an instant query: its labels (including {@code __name__} when kept), time and value. */
    public record Sample(Map<String, String> labels, double timestampSeconds, double value) {
    }

    /** One active scrape target as {@code /api/v1/targets} reports it. */
    public record Target(Map<String, String> labels, String scrapeUrl, String health, String lastError,
                         Instant lastScrape) {
    }

    private PrometheusProcess(Process process, String url, Path workDir, Path logFile, HttpClient http) {
        this.process = process;
        this.url = url;
        this.workDir = workDir;
        this.logFile = logFile;
        this.http = http;
        this.shutdownHook = new Thread(() -> process.destroyForcibly(), "prometheus-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Writes {@code configYaml} to {@code workDir/prometheus.yml}, starts Prometheus on a free
     * {@code 127.0.0.1} port with its TSDB in {@code workDir/data} and its output in
     * {@code workDir/prometheus.log}, and returns once {@code /-/ready} answers 200.
     *
     * @param configYaml the whole configuration file (rule files it names are resolved against {@code workDir})
     * @param workDir    folder for config, data and log; created if absent
     * @param extraFlags further command-line flags, e.g. {@code --web.enable-lifecycle}
     * @throws AssertionError when the binary is missing, or the server exits or is not ready in time
     *                        (the message then holds its log)
     */
    public static PrometheusProcess start(String configYaml, Path workDir, String... extraFlags)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: the end-to-end tests run a real Prometheus server. "
                    + "Install the Debian package `prometheus` (apt-get install prometheus) or run ./run-tests.sh, "
                    + "which installs it.");
        }
        Files.createDirectories(workDir);
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, configYaml);
        Path logFile = workDir.resolve("prometheus.log");
        HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
        for (int attempt = 1; ; attempt++) {
            int port = freeLoopbackPort();
            List<String> command = new ArrayList<>(List.of(BINARY,
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port));
            command.addAll(List.of(extraFlags));
            Process p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            PrometheusProcess prometheus = new PrometheusProcess(p, "http://127.0.0.1:" + port, workDir, logFile, http);
            try {
                if (prometheus.awaitReady()) {
                    return prometheus;
                }
            } catch (Throwable e) {
                prometheus.close();
                throw e;
            }
            prometheus.close();
            String log = prometheus.log();
            // Another process may take the free port between our probe and Prometheus' bind.
            if (attempt < BIND_ATTEMPTS && log.contains("address already in use")) {
                continue;
            }
            throw new AssertionError("Prometheus did not become ready at " + prometheus.url() + " within "
                    + READY_TIMEOUT.toSeconds() + " s (exit " + p.exitValue() + "). Its log " + logFile + ":\n" + log);
        }
    }

    /** A TCP port on the loopback interface that was free a moment ago. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** True once {@code /-/ready} answers 200; false when the process exits or the time runs out. */
    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<Void> r = http.send(request(url + "/-/ready"), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notListeningYet) {
                // connection refused until the web handler is up
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return url;
    }

    /** The folder holding {@code prometheus.yml}, {@code data/} and {@code prometheus.log}. */
    public Path workDir() {
        return workDir;
    }

    /** Everything the server printed (stdout and stderr). */
    public Path logFile() {
        return logFile;
    }

    /** The server's output so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints the server's output, framed with its path; for a failing test's report. */
    public void printLog(PrintStream out) {
        out.println("---- Prometheus log " + logFile + " ----");
        out.println(log());
        out.println("---- end of Prometheus log ----");
    }

    /**
     * Evaluates an instant query at the current time ({@code /api/v1/query}). A vector gives one
     * {@link Sample} per series, a scalar one sample without labels.
     *
     * @throws AssertionError when Prometheus answers with an error or a result of another type
     */
    public List<Sample> query(String promql) throws IOException, InterruptedException {
        JsonNode data = api("query", Map.of("query", promql));
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        List<Sample> out = new ArrayList<>();
        switch (type) {
            case "vector" -> {
                for (JsonNode series : result) {
                    out.add(new Sample(strings(series.path("metric")), series.path("value").get(0).asDouble(),
                            number(series.path("value").get(1).asText())));
                }
            }
            case "scalar" -> out.add(new Sample(Map.of(), result.get(0).asDouble(), number(result.get(1).asText())));
            default -> throw new AssertionError("query " + promql + " returned a " + type + ", not a vector or scalar: "
                    + data);
        }
        return out;
    }

    /** The active scrape targets ({@code /api/v1/targets}). */
    public List<Target> targets() throws IOException, InterruptedException {
        List<Target> out = new ArrayList<>();
        for (JsonNode t : api("targets", Map.of("state", "active")).path("activeTargets")) {
            out.add(new Target(strings(t.path("labels")), t.path("scrapeUrl").asText(), t.path("health").asText(),
                    t.path("lastError").asText(), Instant.parse(t.path("lastScrape").asText())));
        }
        return out;
    }

    /**
     * GET {@code /api/v1/<endpoint>} with URL-encoded parameters; returns the {@code data} member of a
     * {@code "status":"success"} answer (for endpoints without a typed method: rules, alerts, series).
     */
    public JsonNode api(String endpoint, Map<String, String> params) throws IOException, InterruptedException {
        StringBuilder target = new StringBuilder(url).append("/api/v1/").append(endpoint);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            target.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        HttpResponse<String> r = http.send(request(target.toString()), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("GET " + target + " answered " + r.statusCode() + ": " + r.body());
        }
        return body.path("data");
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. Idempotent. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException alreadyExitingOrRemoved) {
                // the JVM is exiting (the hook runs) or an earlier close removed it
            }
        }
    }

    private static HttpRequest request(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(HTTP_TIMEOUT).GET().build();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** Prometheus writes sample values as strings, with {@code NaN}, {@code +Inf}, {@code -Inf} for non-finite ones. */
    private static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}
