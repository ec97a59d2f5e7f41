package dev.sextant.dl4j.spark;

import dev.sextant.e2e.PrometheusProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Prometheus Pushgateway (Debian package {@code prometheus-pushgateway}) on a free loopback
 * port, its persistence file and log in a folder of the test's.
 */
final class PushgatewayProcess implements AutoCloseable {
    static final String BINARY = "/usr/bin/prometheus-pushgateway";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String url;
    private final Path log;

    private PushgatewayProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts it and returns once {@code /-/ready} answers 200. */
    static PushgatewayProcess start(Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: the Spark tests push to a real Pushgateway. Install the"
                    + " Debian package `prometheus-pushgateway` or run ./run-tests.sh, which installs it.");
        }
        Files.createDirectories(workDir);
        int port = PrometheusProcess.freeLoopbackPort();
        Path log = workDir.resolve("pushgateway.log");
        Process p = new ProcessBuilder(BINARY, "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=" + workDir.resolve("pushgateway.data"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PushgatewayProcess pg = new PushgatewayProcess(p, "http://127.0.0.1:" + port, log);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                HttpRequest ready = HttpRequest.newBuilder(URI.create(pg.url + "/-/ready")).build();
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return pg;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        pg.close();
        throw new AssertionError("the Pushgateway did not become ready within " + READY_TIMEOUT.toSeconds()
                + " s; its log:\n" + Files.readString(log));
    }

    /** Its address, e.g. {@code http://127.0.0.1:40123}. */
    String url() {
        return url;
    }

    /** Its {@code host:port}, as a Prometheus scrape target. */
    String target() {
        return url.substring("http://".length());
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
