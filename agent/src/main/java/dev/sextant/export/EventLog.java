package dev.sextant.export;

import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The local, append-only record of every sample: one JSON object per line, written with one
 * system call per line, so a line is on disk (in the OS) before the training step continues and
 * a killed JVM loses at most the line being written. Nothing depends on Prometheus listening.
 *
 * <p>Line format ({@code event} is {@code sample} or {@code probe_failure}):
 * <pre>{"event":"sample","run":"r1","model":"mlp","step":10,"epoch":0,"time":1764270000000,
 *  "probe":"weights","values":[{"metric":"sextant_weight_norm","layer":"0","param":"W","value":3.1}]}</pre>
 * Non-finite values are written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 * A disk error is logged once and counted ({@link #writeErrors()}); it never reaches training.
 */
public final class EventLog implements SampleSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private final Path path;
    private final String run;
    private final String model;
    private final FileOutputStream out;
    private long writeErrors;
    private boolean closed;

    private EventLog(Path path, String run, String model, FileOutputStream out) {
        this.path = path;
        this.run = run;
        this.model = model;
        this.out = out;
    }

    /** Opens (creating or appending to) the log; fails at once, naming the path, when it cannot be written. */
    public static EventLog open(Path path, String run, String model) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new EventLog(path, run, model, new FileOutputStream(path.toFile(), true));
        } catch (IOException e) {
            throw new UncheckedIOException("Sextant cannot write its event log at " + path.toAbsolutePath()
                    + " (" + e.getMessage() + "): choose a writable path (builder .eventLog(...), demo --events)", e);
        }
    }

    public Path path() {
        return path;
    }

    /** Lines that could not be written (disk full, I/O error). */
    public synchronized long writeErrors() {
        return writeErrors;
    }

    @Override
    public void accept(Sample sample) {
        StringBuilder sb = head("sample", sample.probe(), sample.step(), sample.epoch(), sample.wallTimeMillis());
        sb.append(",\"values\":[");
        boolean first = true;
        for (Reading r : sample.readings()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"metric\":");
            Json.string(sb, r.metric().prometheusName());
            List<String> names = r.metric().labels();
            for (int i = 0; i < names.size(); i++) {
                sb.append(',');
                Json.string(sb, names.get(i));
                sb.append(':');
                Json.string(sb, r.labelValues().get(i));
            }
            sb.append(",\"value\":");
            Json.number(sb, r.value());
            sb.append('}');
        }
        sb.append("]}\n");
        write(sb);
    }

    @Override
    public void probeFailed(String probe, long step, Throwable cause) {
        StringBuilder sb = head("probe_failure", probe, step, -1, System.currentTimeMillis());
        sb.append(",\"error\":");
        Json.string(sb, String.valueOf(cause));
        sb.append("}\n");
        write(sb);
    }

    private StringBuilder head(String event, String probe, long step, int epoch, long time) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"event\":");
        Json.string(sb, event);
        sb.append(",\"run\":");
        Json.string(sb, run);
        sb.append(",\"model\":");
        Json.string(sb, model);
        sb.append(",\"step\":").append(step);
        if (epoch >= 0) {
            sb.append(",\"epoch\":").append(epoch);
        }
        sb.append(",\"time\":").append(time);
        sb.append(",\"probe\":");
        Json.string(sb, probe);
        return sb;
    }

    private synchronized void write(StringBuilder line) {
        if (closed) {
            return;
        }
        try {
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (writeErrors++ == 0) {
                LOG.error("Sextant cannot append to its event log {}: {} (training goes on; further errors are counted)",
                        path.toAbsolutePath(), e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("closing the event log {} failed: {}", path, e.toString());
        }
    }
}
