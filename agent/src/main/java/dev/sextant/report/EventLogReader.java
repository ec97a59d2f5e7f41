package dev.sextant.report;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a Sextant JSON-lines event log ({@code dev.sextant.export.EventLog}), also one left by a
 * crashed or killed run:
 * <ul>
 *   <li>the first line must be a JSON object with {@code "event"}, {@code "run"} and a numeric
 *       {@code "step"}: otherwise the file is not a Sextant event log and nothing is reported;</li>
 *   <li>a last line without its newline that does not parse was cut off while being written: it is
 *       skipped with a warning and the rest is read;</li>
 *   <li>any other line that does not parse, or lacks those fields, is skipped with a warning;</li>
 *   <li>values {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} are read as those numbers.</li>
 * </ul>
 */
public final class EventLogReader {
    /** Warnings listed one by one; beyond this many, they are counted. */
    static final int LISTED_WARNINGS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventLogReader() {
    }

    /** Reads the whole log; fails with a message saying what is wrong when nothing can be reported. */
    public static RunLog read(Path path) throws UnreadableLogException {
        if (!Files.exists(path)) {
            throw new UnreadableLogException(path + " does not exist; give the path of the run's event log "
                    + "(builder .eventLog(...), demo --events; default sextant-events.jsonl)");
        }
        if (Files.isDirectory(path)) {
            throw new UnreadableLogException(path + " is a directory; give the event log file (e.g. sextant-events.jsonl)");
        }
        boolean endsWithNewline;
        try {
            endsWithNewline = endsWithNewline(path);
        } catch (IOException e) {
            throw new UnreadableLogException("cannot read " + path + ": " + e.getMessage(), e);
        }
        List<LogEvent> events = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int skipped = 0;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            long number = 1;
            boolean first = true;
            while (line != null) {
                String next = in.readLine();
                boolean last = next == null;
                if (line.isBlank()) {
                    line = next;
                    number++;
                    continue;
                }
                try {
                    events.add(parse(line, number));
                } catch (BadLine bad) {
                    boolean cutOff = last && !endsWithNewline;
                    if (first && !cutOff) {
                        throw new UnreadableLogException(path + " is not a Sextant event log: its first line "
                                + bad.getMessage() + " (it starts with: " + preview(line) + "). A Sextant event log "
                                + "has one JSON object per line, like {\"event\":\"sample\",\"run\":...,\"step\":0,...}");
                    }
                    if (cutOff) {
                        warnings.add("line " + number + " is incomplete (the run stopped while writing it): skipped");
                    } else if (skipped++ < LISTED_WARNINGS) {
                        warnings.add("line " + number + " " + bad.getMessage() + ": skipped");
                    }
                }
                first = false;
                line = next;
                number++;
            }
        } catch (CharacterCodingException e) {
            throw new UnreadableLogException(path + " is not a Sextant event log: it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UnreadableLogException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (skipped > LISTED_WARNINGS) {
            warnings.add((skipped - LISTED_WARNINGS) + " more malformed line(s) skipped");
        }
        if (events.isEmpty()) {
            if (warnings.isEmpty()) {
                throw new UnreadableLogException(path + " is empty: no events to report (the run has not written a "
                        + "sample yet, or this is not the run's event log)");
            }
            throw new UnreadableLogException(path + " holds no complete event (" + String.join("; ", warnings) + ")");
        }
        return new RunLog(path, events, warnings);
    }

    private static boolean endsWithNewline(Path path) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            if (f.length() == 0) {
                return true;
            }
            f.seek(f.length() - 1);
            return f.read() == '\n';
        }
    }

    /** A line that is not a well-formed event; the message completes "line N ...". */
    private static final class BadLine extends Exception {
        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    private static LogEvent parse(String line, long number) throws BadLine {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadLine("is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new BadLine("is not a JSON object");
        }
        JsonNode event = node.get("event");
        JsonNode run = node.get("run");
        JsonNode step = node.get("step");
        if (event == null || !event.isTextual() || run == null || !run.isTextual()
                || step == null || !step.isIntegralNumber()) {
            throw new BadLine("lacks \"event\", \"run\" or a whole-number \"step\"");
        }
        List<LoggedValue> values = new ArrayList<>();
        JsonNode vs = node.get("values");
        if (vs != null && vs.isArray()) {
            for (JsonNode v : vs) {
                JsonNode metric = v.get("metric");
                if (metric == null || !metric.isTextual()) {
                    throw new BadLine("has a value without a \"metric\"");
                }
                Map<String, String> labels = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (!f.getKey().equals("metric") && !f.getKey().equals("value")) {
                        labels.put(f.getKey(), f.getValue().asText());
                    }
                }
                values.add(new LoggedValue(metric.asText(), labels, number(v.get("value"))));
            }
        }
        String text = node.has("error") ? node.get("error").asText() : node.has("name") ? node.get("name").asText() : null;
        JsonNode seconds = node.get("seconds");
        return new LogEvent(number, event.asText(), run.asText(), node.path("model").asText(""), step.asLong(),
                node.has("epoch") ? node.get("epoch").asInt() : -1, node.path("time").asLong(0),
                node.path("probe").asText(""), values, text,
                seconds != null && seconds.isNumber() ? seconds.asDouble() : Double.NaN);
    }

    private static double number(JsonNode v) throws BadLine {
        if (v == null) {
            throw new BadLine("has a value without a \"value\"");
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        return switch (v.asText()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new BadLine("has a value that is not a number: " + preview(v.toString()));
        };
    }

    private static String preview(String line) {
        String p = line.length() > 60 ? line.substring(0, 60) + "…" : line;
        StringBuilder sb = new StringBuilder();
        for (char c : p.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
