package dev.sextant.report;

import java.util.List;

/**
 * One line of the event log.
 *
 * @param line    1-based line number in the file
 * @param event   {@code sample}, {@code probe_failure}, {@code condition}, ...
 * @param run     run id
 * @param model   model name
 * @param step    DL4J iteration count
 * @param epoch   epoch, -1 when the line has none
 * @param time    wall-clock milliseconds since the Unix epoch, 0 when the line has none
 * @param probe   probe name, "" when the line has none
 * @param values  a sample's values (empty otherwise)
 * @param text    a failure's {@code error} or a condition's {@code name}; null otherwise
 * @param seconds training-thread time of the probe call when the line records it, else NaN
 */
public record LogEvent(long line, String event, String run, String model, long step, int epoch, long time,
                       String probe, List<LoggedValue> values, String text, double seconds) {
    public LogEvent {
        values = List.copyOf(values);
    }

    public boolean isSample() {
        return event.equals("sample");
    }
}
