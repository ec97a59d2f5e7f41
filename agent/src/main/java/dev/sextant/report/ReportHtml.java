package dev.sextant.report;

import dev.sextant.export.Json;
import dev.sextant.web.Charts;
import dev.sextant.web.Html;
import dev.sextant.web.PageHtml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the run report: one self-contained HTML file with the summary table above the live page's
 * charts, drawn by the same script from the log's events inlined as JSON. Only the values some
 * chart draws are inlined, which keeps the file small for long runs.
 */
public final class ReportHtml {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ReportHtml() {
    }

    /** The report of the run {@code s} summarises; {@code warnings} are shown above the summary. */
    public static String render(RunLog log, RunSummary s, List<String> warnings) {
        return PageHtml.report(s.run(), s.model(), summary(s, log, warnings), entries(log.eventsOf(s.run())));
    }

    static String entries(List<LogEvent> events) {
        Set<String> drawn = Charts.metrics();
        StringBuilder sb = new StringBuilder(256 * events.size() + 2).append('[');
        boolean firstEntry = true;
        for (LogEvent e : events) {
            List<LoggedValue> values = e.values().stream().filter(v -> drawn.contains(v.metric())).toList();
            if (e.isSample() && values.isEmpty() && Double.isNaN(e.seconds())) {
                continue;
            }
            if (!firstEntry) {
                sb.append(',');
            }
            firstEntry = false;
            sb.append("{\"event\":");
            Json.string(sb, e.event());
            sb.append(",\"step\":").append(e.step());
            if (e.epoch() >= 0) {
                sb.append(",\"epoch\":").append(e.epoch());
            }
            sb.append(",\"time\":").append(e.time());
            sb.append(",\"probe\":");
            Json.string(sb, e.probe());
            if (!Double.isNaN(e.seconds())) {
                sb.append(",\"seconds\":");
                Json.number(sb, e.seconds());
            }
            if (e.text() != null) {
                sb.append(e.event().equals("probe_failure") ? ",\"error\":" : ",\"name\":");
                Json.string(sb, e.text());
            }
            if (e.isSample()) {
                sb.append(",\"values\":[");
                for (int i = 0; i < values.size(); i++) {
                    LoggedValue v = values.get(i);
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append("{\"metric\":");
                    Json.string(sb, v.metric());
                    v.labels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(l -> {
                        sb.append(',');
                        Json.string(sb, l.getKey());
                        sb.append(':');
                        Json.string(sb, l.getValue());
                    });
                    sb.append(",\"value\":");
                    Json.number(sb, v.value());
                    sb.append('}');
                }
                sb.append(']');
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    static String summary(RunSummary s, RunLog log, List<String> warnings) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<section id=\"summary\" class=\"panel\">\n<h2>Summary</h2>\n");
        if (!warnings.isEmpty()) {
            h.append("<ul class=\"warnings\">");
            for (String w : warnings) {
                h.append("<li>").append(Html.escape(w)).append("</li>");
            }
            h.append("</ul>\n");
        }
        h.append("<table class=\"facts\"><tbody>\n");
        fact(h, "run", s.run());
        fact(h, "model", s.model());
        fact(h, "event log", log.path().toString());
        fact(h, "steps", s.firstStep() + " – " + s.lastStep() + (s.lastEpoch() >= 0 ? " (last epoch " + s.lastEpoch() + ")" : ""));
        fact(h, "samples", s.samples() + " from probes " + String.join(", ", s.probes()));
        if (s.firstTime() > 0) {
            fact(h, "time", TIME.format(Instant.ofEpochMilli(s.firstTime())) + " – "
                    + TIME.format(Instant.ofEpochMilli(s.lastTime())) + " (" + duration(s.lastTime() - s.firstTime()) + ")");
        }
        h.append("</tbody></table>\n");

        h.append("<h3>Curvature</h3>\n");
        tracks(h, s.curvature(), "No curvature probe ran in this run (SharpnessProbe, PreconditionedSharpnessProbe, "
                + "BatchSharpnessProbe).");
        h.append("<h3>Gradient noise scale (whole model)</h3>\n");
        tracks(h, s.noise(), "No gradient-noise probe ran in this run (GradientNoiseScaleProbe).");
        h.append("<h3>Loss and learning rate</h3>\n");
        tracks(h, s.progress(), "No progress probe ran in this run.");

        h.append("<h3>Largest drift per layer</h3>\n");
        if (s.drift().isEmpty()) {
            empty(h, "No weights probe ran in this run.");
        } else {
            h.append("<table><thead><tr><th>layer</th><th>param</th><th class=\"num\">largest ‖w − w₀‖</th>"
                    + "<th class=\"num\">‖w‖ at the last sample</th><th class=\"num\">largest ‖Δw‖/‖w‖</th></tr></thead><tbody>\n");
            for (RunSummary.Drift d : s.drift()) {
                h.append("<tr><td>").append(Html.escape(d.layer())).append("</td><td>").append(Html.escape(d.param()))
                        .append("</td>").append(num(point(d.largestDistance()))).append(num(number(d.lastNorm())))
                        .append(num(point(d.largestUpdateRatio()))).append("</tr>\n");
            }
            h.append("</tbody></table>\n");
        }

        h.append("<h3>Conditions</h3>\n");
        if (s.conditions().isEmpty()) {
            empty(h, "No condition events (lines with \"event\":\"condition\").");
        } else {
            h.append("<table><thead><tr><th class=\"num\">step</th><th>condition</th><th>probe</th><th>time</th></tr></thead><tbody>\n");
            for (LogEvent c : s.conditions()) {
                h.append("<tr class=\"condition\">").append(num(Long.toString(c.step()))).append("<td>")
                        .append(Html.escape(c.text())).append("</td><td>").append(Html.escape(c.probe()))
                        .append("</td><td>").append(c.time() > 0 ? TIME.format(Instant.ofEpochMilli(c.time())) : "")
                        .append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }

        h.append("<h3>Probe failures</h3>\n");
        if (s.failures().isEmpty()) {
            empty(h, "No probe failed.");
        } else {
            h.append("<table><thead><tr><th>probe</th><th class=\"num\">failures</th><th class=\"num\">first step</th>"
                    + "<th class=\"num\">last step</th><th>first error</th></tr></thead><tbody>\n");
            for (RunSummary.Failures f : s.failures()) {
                h.append("<tr class=\"failure\"><td>").append(Html.escape(f.probe())).append("</td>")
                        .append(num(Integer.toString(f.count()))).append(num(Long.toString(f.firstStep())))
                        .append(num(Long.toString(f.lastStep()))).append("<td>").append(Html.escape(f.firstError()))
                        .append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }

        h.append("<h3>Sextant's overhead</h3>\n");
        if (s.overhead().isEmpty()) {
            empty(h, "This log records no probe durations (no \"seconds\" field on its lines); the live page "
                    + "shows them while training runs.");
        } else {
            h.append("<table><thead><tr><th>probe</th><th class=\"num\">calls</th><th class=\"num\">median ms</th>"
                    + "<th class=\"num\">max ms</th><th class=\"num\">total s</th></tr></thead><tbody>\n");
            for (RunSummary.Overhead o : s.overhead()) {
                h.append("<tr><td>").append(Html.escape(o.probe())).append("</td>")
                        .append(num(Integer.toString(o.calls()))).append(num(number(o.median() * 1e3)))
                        .append(num(number(o.max() * 1e3))).append(num(number(o.total()))).append("</tr>\n");
            }
            h.append("</tbody></table>\n");
            double share = s.overheadShareOfWallTime();
            if (!Double.isNaN(share)) {
                h.append("<p>Probes took ").append(number(share * 100)).append(" % of the wall time between the first "
                        + "and the last line.</p>\n");
            }
        }
        if (!s.intervals().isEmpty()) {
            h.append("<p>The overhead governor stretched probe intervals to stay within its budget:</p>\n<ul>");
            for (RunSummary.Intervals i : s.intervals()) {
                h.append("<li>").append(Html.escape(i.probe())).append(": every ").append(Html.escape(i.lastInterval()))
                        .append(" steps from step ").append(i.lastStep()).append(" (").append(i.changes())
                        .append(i.changes() == 1 ? " change" : " changes").append(")</li>");
            }
            h.append("</ul>\n");
        }
        return h.append("</section>\n").toString();
    }

    private static void tracks(StringBuilder h, List<Track> tracks, String whenNone) {
        List<Track> present = tracks.stream().filter(Track::present).toList();
        if (present.isEmpty()) {
            empty(h, whenNone);
            return;
        }
        h.append("<table><thead><tr><th>quantity</th><th class=\"num\">values</th><th class=\"num\">first</th>"
                + "<th class=\"num\">final</th><th class=\"num\">peak</th><th class=\"num\">median</th>"
                + "<th class=\"num\">non-finite</th></tr></thead><tbody>\n");
        for (Track t : present) {
            h.append("<tr data-metric=\"").append(Html.escape(t.metric())).append("\"><td>")
                    .append(Html.escape(t.label())).append("</td>")
                    .append(num(Integer.toString(t.count()))).append(num(point(t.first()))).append(num(point(t.last())))
                    .append(num(point(t.peak()))).append(num(number(t.median())))
                    .append(num(Integer.toString(t.nonFinite()))).append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void fact(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value)).append("</td></tr>\n");
    }

    private static void empty(StringBuilder h, String text) {
        h.append("<p class=\"none\">").append(Html.escape(text)).append("</p>\n");
    }

    private static String num(String text) {
        return "<td class=\"num\">" + Html.escape(text) + "</td>";
    }

    private static String point(Track.Point p) {
        return p == null ? "–" : number(p.value()) + " (step " + p.step() + ")";
    }

    /** Four significant digits, trailing zeros dropped; NaN and infinities spelled out. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    private static String duration(long millis) {
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + " min " + (seconds % 60) + " s";
        }
        return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    }
}
