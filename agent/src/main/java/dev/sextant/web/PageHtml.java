package dev.sextant.web;

import dev.sextant.export.Json;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTML of the live page and of the run report: one template ({@code dev/sextant/web/page.html}),
 * one script ({@code sextant-page.js}) and one style sheet, so both show the same charts. The live
 * page links its script, style and uPlot from the agent's server and polls
 * {@code api/samples}; the report inlines all of them, and its data, into one file.
 */
public final class PageHtml {
    private static final Pattern SLOT = Pattern.compile("\\{\\{([a-z]+)}}");

    private PageHtml() {
    }

    /** The live page of a run: fetches its data from {@code api/samples} every {@code pollMillis}. */
    public static String live(String run, String model, int pollMillis) {
        String config = config("live", run, model, pollMillis);
        return fill(Map.of(
                "title", Html.escape("Sextant · " + run + " · " + model),
                "heading", Html.escape("run " + run + " · model " + model),
                "mode", "live",
                "status", "Loading…",
                "styles", "<link rel=\"stylesheet\" href=\"" + UPlotWebJar.stylePath() + "\">\n"
                        + "<link rel=\"stylesheet\" href=\"" + PageAssets.STYLE + "\">",
                "summary", "",
                "config", config,
                "data", "",
                // The page's script first: it records errors, including a uPlot that failed to load.
                "scripts", "<script src=\"" + PageAssets.SCRIPT + "\"></script>\n"
                        + "<script src=\"" + UPlotWebJar.scriptPath() + "\"></script>"));
    }

    /**
     * A self-contained report: uPlot, the page's script and style, the summary and the data in one
     * HTML file that opens offline.
     *
     * @param summaryHtml  HTML placed above the charts (already escaped)
     * @param entriesJson  a JSON array of entries in the shape of {@code /api/samples}' {@code entries}
     */
    public static String report(String run, String model, String summaryHtml, String entriesJson) {
        return fill(Map.of(
                "title", Html.escape("Sextant report · " + run + " · " + model),
                "heading", Html.escape("report · run " + run + " · model " + model),
                "mode", "report",
                "status", "Report",
                "styles", "<style>\n" + inlineable(UPlotWebJar.style(), "</style") + "\n"
                        + inlineable(PageAssets.ownText(PageAssets.STYLE), "</style") + "\n</style>",
                "summary", summaryHtml,
                "config", config("report", run, model, 0),
                "data", "<script id=\"sextant-data\" type=\"application/json\">{\"entries\":" + entriesJson
                        + "}</script>",
                "scripts", "<script>\n" + inlineable(PageAssets.ownText(PageAssets.SCRIPT), "</script") + "\n</script>\n"
                        + "<script>\n" + inlineable(UPlotWebJar.script(), "</script") + "\n</script>"));
    }

    private static String config(String mode, String run, String model, int pollMillis) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("{\"mode\":");
        Json.string(sb, mode);
        sb.append(",\"run\":");
        Json.string(sb, run);
        sb.append(",\"model\":");
        Json.string(sb, model);
        sb.append(",\"endpoint\":\"api/samples\",\"pollMillis\":").append(pollMillis);
        sb.append(",\"durationMetric\":");
        Json.string(sb, Charts.PROBE_DURATION);
        sb.append(",\"charts\":").append(Charts.json()).append('}');
        return sb.toString();
    }

    /** Text placed inside an element whose end tag it must not contain. */
    private static String inlineable(String text, String endTag) {
        if (text.toLowerCase(Locale.ROOT).contains(endTag)) {
            throw new IllegalStateException("cannot inline a file containing " + endTag);
        }
        return text;
    }

    private static String fill(Map<String, String> slots) {
        String template = UPlotWebJar.read("dev/sextant/web/page.html");
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (m.find()) {
            String value = slots.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("page.html has the slot {{" + m.group(1) + "}} that nothing fills");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
