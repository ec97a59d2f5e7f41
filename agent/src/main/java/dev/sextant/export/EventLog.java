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

/**
 * The local, append-only record of every sample: one JSON object per line, written with one
 * system call per line, so a line is on disk (in the OS) before the training step continues and
 * a killed JVM loses at most the line being written. Nothing depends on Prometheus listening.
 *
 * <p>Line format ({@code event} is {@code sample} or {@code probe_failure}; {@code seconds} is the
 * training-thread time of the probe call):
 * <pre>{"event":"sample","run":"r1","model":"mlp","step":10,"epoch":0,"time":1764270000000,
 *  "probe":"weights","seconds":0.0012,"values":[{"metric":"sextant_weight_norm","layer":"0","param":"W","value":3.1}]}</pre>
 * Non-finite values are written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 * A disk error is logged once and counted ({@link #writeErrors()}); it never reaches training.
 *
 * <p>Size cap: when a line would take the file past {@code maxBytes}, the file is rotated
 * ({@code events.jsonl} → {@code events.jsonl.1} → {@code .2} ..., keeping {@code keep} old files)
 * and a new one is started; a line is never split across files.
 */
public final class EventLog implements SampleSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    /** Default size cap of one file: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    /** Default number of rotated files kept. */
    public static final int DEFAULT_KEEP = 3;

    private final Path path;
    private final String run;
    private final String model;
    private final long maxBytes;
    private final int keep;
    private FileOutputStream out;
    private long size;
    private long writeErrors;
    private long rotations;
    private boolean closed;
    private final java.util.Map<String, Double> pendingSeconds = new java.util.HashMap<>();

    private EventLog(Path path, String run, String model, long maxBytes, int keep) throws IOException {
        this.path = path;
        this.run = run;
        this.model = model;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.out = new FileOutputStream(path.toFile(), true);
        this.size = Files.size(path);
    }

    /** Opens (creating or appending to) the log with the default size cap. */
    public static EventLog open(Path path, String run, String model) {
        return open(path, run, model, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }

    /**
     * Opens (creating or appending to) the log; fails at once, naming the path, when it cannot
     * be written.
     *
     * @param maxBytes size cap of one file, at least 4096
     * @param keep     rotated files kept, at least 0 (0: the old file is deleted on rotation)
     */
    public static EventLog open(Path path, String run, String model, long maxBytes, int keep) {
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("eventLogMaxBytes: " + maxBytes + "; the size cap must be at least 4096 bytes");
        }
        if (keep < 0) {
            throw new IllegalArgumentException("eventLogKeep: " + keep + "; the number of rotated files must be at least 0");
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new EventLog(path, run, model, maxBytes, keep);
        } catch (IOException e) {
            throw new UncheckedIOException("Sextant cannot write its event log at " + path.toAbsolutePath()
                    + " (" + e.getMessage() + "): choose a writable path (builder .eventLog(...), demo --events)", e);
        }
    }

    /** Files rotated so far. */
    public synchronized long rotations() {
        return rotations;
    }

    public Path path() {
        return path;
    }

    /** Lines that could not be written (disk full, I/O error). */
    public synchronized long writeErrors() {
        return writeErrors;
    }

    @Override
    public synchronized void probeTimed(String probe, long step, double seconds) {
        pendingSeconds.put(probe, seconds);
    }

    @Override
    public void accept(Sample sample) {
        StringBuilder sb = head("sample", sample.probe(), sample.step(), sample.epoch(), sample.wallTimeMillis());
        seconds(sb, sample.probe());
        sb.append(",\"values\":[");
        boolean first = true;
        for (Reading r : sample.readings()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Json.reading(sb, r);
        }
        sb.append("]}\n");
        write(sb);
    }

    @Override
    public void probeFailed(String probe, long step, Throwable cause) {
        StringBuilder sb = head("probe_failure", probe, step, -1, System.currentTimeMillis());
        seconds(sb, probe);
        sb.append(",\"error\":");
        Json.string(sb, String.valueOf(cause));
        sb.append("}\n");
        write(sb);
    }

    /**
     * Records a named event that is not a sample, e.g. {@code "condition"} with
     * {@code name = "EDGE_OF_STABILITY"}: {@code {"event":"condition",...,"probe":probe,"name":name}}.
     */
    public void note(String event, String probe, long step, String name) {
        StringBuilder sb = head(event, probe, step, -1, System.currentTimeMillis());
        sb.append(",\"name\":");
        Json.string(sb, name);
        sb.append("}\n");
        write(sb);
    }

    @Override
    public void intervalChanged(String probe, long step, int interval) {
        note("interval", probe, step, String.valueOf(interval));
    }

    /** The duration of the probe call this line reports, when the runner timed it. */
    private synchronized void seconds(StringBuilder sb, String probe) {
        Double s = pendingSeconds.remove(probe);
        if (s != null) {
            sb.append(",\"seconds\":");
            Json.number(sb, s);
        }
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
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            out.write(bytes);
            size += bytes.length;
        } catch (IOException e) {
            if (writeErrors++ == 0) {
                LOG.error("Sextant cannot append to its event log {}: {} (training goes on; further errors are counted)",
                        path.toAbsolutePath(), e.toString());
            }
        }
    }

    private void rotate() throws IOException {
        out.close();
        if (keep == 0) {
            Files.deleteIfExists(path);
        } else {
            Files.deleteIfExists(rotated(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1));
                }
            }
            Files.move(path, rotated(1));
        }
        out = new FileOutputStream(path.toFile(), true);
        size = 0;
        rotations++;
    }

    private Path rotated(int i) {
        return path.resolveSibling(path.getFileName() + "." + i);
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
