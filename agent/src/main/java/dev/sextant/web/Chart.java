package dev.sextant.web;

import dev.sextant.export.Json;

import java.util.List;

/**
 * One panel of the live page and the run report: a uPlot chart of some metrics by training step.
 *
 * @param id        HTML id of the panel ({@code chart-<id>})
 * @param title     heading
 * @param caption   one or two sentences: what is drawn and how to read it
 * @param whenEmpty what produces the data, shown while the chart has none
 * @param leftAxis  label of the left axis
 * @param rightAxis label of the right axis, null when no line uses it
 * @param logScale  whether the left axis is logarithmic (values at or below 0 are then not drawn)
 * @param lines     what is drawn
 */
public record Chart(String id, String title, String caption, String whenEmpty, String leftAxis, String rightAxis,
                    boolean logScale, List<ChartLine> lines) {

    public Chart {
        lines = List.copyOf(lines);
        if (!id.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("id: '" + id + "'; use lower-case letters, digits and _");
        }
        boolean right = lines.stream().anyMatch(l -> l.axis().equals("right"));
        if (right != (rightAxis != null)) {
            throw new IllegalArgumentException("chart " + id + ": rightAxis must be set exactly when a line uses it");
        }
    }

    void appendJson(StringBuilder sb) {
        sb.append("{\"id\":");
        Json.string(sb, id);
        sb.append(",\"title\":");
        Json.string(sb, title);
        sb.append(",\"caption\":");
        Json.string(sb, caption);
        sb.append(",\"whenEmpty\":");
        Json.string(sb, whenEmpty);
        sb.append(",\"leftAxis\":");
        Json.string(sb, leftAxis);
        sb.append(",\"rightAxis\":");
        Json.string(sb, rightAxis);
        sb.append(",\"logScale\":").append(logScale);
        sb.append(",\"lines\":[");
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            lines.get(i).appendJson(sb);
        }
        sb.append("]}");
    }
}
