package dev.sextant.web;

import dev.sextant.export.Json;
import dev.sextant.probe.Reading;

import java.util.List;

/**
 * One record of the live history, numbered in arrival order. Its JSON form is the event log's line
 * for the same event plus {@code seq} and, when the probe call was timed, {@code seconds}:
 * <pre>{"seq":12,"event":"sample","step":40,"epoch":0,"time":1764270000000,"probe":"weights",
 *  "seconds":0.0012,"values":[{"metric":"sextant_weight_norm","layer":"0","param":"W","value":3.1}]}</pre>
 *
 * @param seq      1 for the first entry the history took, then one more for each
 * @param event    {@code sample}, {@code probe_failure}, or a noted event such as {@code condition}
 * @param probe    the probe's name
 * @param step     DL4J iteration count
 * @param epoch    DL4J epoch count, -1 when not known (failures and notes)
 * @param time     wall-clock milliseconds since the Unix epoch
 * @param readings the values of a sample (empty otherwise)
 * @param seconds  training-thread time of the probe call, NaN when not timed
 * @param text     the error of a failure or the name of a noted event; null for a sample
 */
public record HistoryEntry(long seq, String event, String probe, long step, int epoch, long time,
                           List<Reading> readings, double seconds, String text) {

    public HistoryEntry {
        readings = List.copyOf(readings);
    }

    /** Appends this entry as one JSON object. */
    public void appendJson(StringBuilder sb) {
        sb.append("{\"seq\":").append(seq);
        sb.append(",\"event\":");
        Json.string(sb, event);
        sb.append(",\"step\":").append(step);
        if (epoch >= 0) {
            sb.append(",\"epoch\":").append(epoch);
        }
        sb.append(",\"time\":").append(time);
        sb.append(",\"probe\":");
        Json.string(sb, probe);
        if (!Double.isNaN(seconds)) {
            sb.append(",\"seconds\":");
            Json.number(sb, seconds);
        }
        if (text != null) {
            sb.append(event.equals("probe_failure") ? ",\"error\":" : ",\"name\":");
            Json.string(sb, text);
        }
        if (event.equals("sample")) {
            sb.append(",\"values\":[");
            for (int i = 0; i < readings.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Json.reading(sb, readings.get(i));
            }
            sb.append(']');
        }
        sb.append('}');
    }
}
