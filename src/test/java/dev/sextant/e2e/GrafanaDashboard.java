package dev.sextant.e2e;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus queries of one Grafana dashboard JSON file, and Grafana's substitution of its
 * template variables into them, so that a test can run exactly what a panel would ask.
 *
 * <p>Substitution follows Grafana's Prometheus data source ({@code interpolateQueryExpr}): a
 * variable that is multi-valued or has "All" has each selected value regex-escaped
 * (special characters get {@code \\}, as the value sits inside a PromQL string) and several values
 * joined as {@code (a|b)}; a single-valued variable gets its value with {@code \} and {@code '}
 * escaped. Both {@code $name} and {@code ${name}} forms are replaced.
 */
public final class GrafanaDashboard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((?:(.*),\\s*)?([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final String file;
    private final JsonNode json;

    /** One Prometheus query of a panel ({@code targets[]}) or of an annotation ({@code annotations.list[]}). */
    public record Query(String dashboard, String owner, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " '" + owner + "' " + refId + ": " + expr;
        }
    }

    /**
     * A template variable whose values come from Prometheus: {@code label_values(selector, label)}.
     *
     * @param selector the series selector, empty for {@code label_values(label)}
     */
    public record Variable(String name, String selector, String label, boolean multi, boolean includeAll, String allValue) {
    }

    /** The selection "All" of a variable with {@code includeAll}: Grafana puts in its {@code allValue}. */
    static final List<String> ALL = List.of("$__all");

    private GrafanaDashboard(String file, JsonNode json) {
        this.file = file;
        this.json = json;
    }

    /** Every {@code *.json} in {@code dir}, sorted by file name. */
    public static List<GrafanaDashboard> loadAll(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<GrafanaDashboard> out = new ArrayList<>();
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(new GrafanaDashboard(p.getFileName().toString(), JSON.readTree(p.toFile())));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String file() {
        return file;
    }

    /** Every {@code targets[].expr} of every panel, including panels nested in (collapsed) rows. */
    public List<Query> panelQueries() {
        List<Query> out = new ArrayList<>();
        collectPanels(json.path("panels"), out);
        return out;
    }

    private void collectPanels(JsonNode panels, List<Query> out) {
        for (JsonNode panel : panels) {
            collectPanels(panel.path("panels"), out);
            String title = panel.path("title").asText() + " (id " + panel.path("id").asInt() + ")";
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    out.add(new Query(file, title, target.path("refId").asText(), expr));
                }
            }
        }
    }

    /** The {@code expr} of every annotation that queries Prometheus. */
    List<Query> annotationQueries() {
        List<Query> out = new ArrayList<>();
        for (JsonNode a : json.path("annotations").path("list")) {
            String expr = a.path("expr").asText("");
            if (!expr.isBlank()) {
                out.add(new Query(file, "annotation " + a.path("name").asText(), "-", expr));
            }
        }
        return out;
    }

    /** The query variables, in the dashboard's order (a later one may use an earlier one). */
    public List<Variable> variables() {
        List<Variable> out = new ArrayList<>();
        for (JsonNode v : json.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) {
                continue;
            }
            String definition = v.path("definition").asText(v.path("query").path("query").asText(v.path("query").asText()));
            Matcher m = LABEL_VALUES.matcher(definition.trim());
            if (!m.matches()) {
                throw new AssertionError(file + ": variable " + v.path("name") + " is no label_values(...) query: "
                        + definition);
            }
            out.add(new Variable(v.path("name").asText(), m.group(1) == null ? "" : m.group(1).trim(), m.group(2),
                    v.path("multi").asBoolean(), v.path("includeAll").asBoolean(),
                    v.hasNonNull("allValue") ? v.path("allValue").asText() : null));
        }
        return out;
    }

    /**
     * Each query variable in the dashboard's order, resolved as Grafana resolves it: its
     * {@code label_values} query asked of Prometheus ({@code /api/v1/label/<label>/values} with the
     * selector, earlier variables substituted), with every value it finds selected. A variable that
     * finds nothing (or depends on one that found nothing) is left out, and the queries using it
     * have no data, as in Grafana.
     */
    public Map<String, List<String>> selectEveryValue(PrometheusProcess prometheus) throws IOException, InterruptedException {
        Map<String, List<String>> selection = new LinkedHashMap<>();
        List<Variable> variables = variables();
        for (Variable v : variables) {
            Map<String, String> params = new LinkedHashMap<>();
            if (!v.selector().isEmpty()) {
                try {
                    // Variable queries use no interval variables; the interval given here is unused.
                    params.put("match[]", interpolate(v.selector(), variables, selection, Duration.ofSeconds(1)));
                } catch (AssertionError earlierVariableHasNoValue) {
                    continue;
                }
            }
            List<String> values = new ArrayList<>();
            for (JsonNode value : prometheus.api("label/" + v.label() + "/values", params)) {
                values.add(value.asText());
            }
            if (!values.isEmpty()) {
                selection.put(v.name(), values);
            }
        }
        return selection;
    }

    /**
     * The selection saved with the dashboard ({@code current.value}, {@code $__all} for "All"), by
     * variable name: what a person sees on opening it. Variables saved without one are left out.
     */
    Map<String, List<String>> savedSelection() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (JsonNode v : json.path("templating").path("list")) {
            JsonNode value = v.path("current").path("value");
            List<String> values = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(x -> values.add(x.asText()));
            } else if (value.isTextual()) {
                values.add(value.asText());
            }
            if (!values.isEmpty()) {
                out.put(v.path("name").asText(), values);
            }
        }
        return out;
    }

    /**
     * {@code expr} with every template variable replaced by its selected values, formatted as
     * Grafana does for {@code variables}; Grafana's interval variables take the values Grafana
     * gives them for {@code scrapeInterval} (the data source's scrape interval setting).
     *
     * @throws AssertionError when the expression names a variable that has no selection
     */
    public static String interpolate(String expr, List<Variable> variables, Map<String, List<String>> selected,
                              Duration scrapeInterval) {
        // Grafana: $__interval >= the scrape interval, $__rate_interval = max($__interval + scrape, 4 * scrape).
        long scrape = scrapeInterval.toSeconds();
        String out = expr.replace("$__rate_interval", (4 * scrape) + "s")
                .replace("${__rate_interval}", (4 * scrape) + "s")
                .replace("$__interval", scrape + "s")
                .replace("${__interval}", scrape + "s");
        Matcher m = VARIABLE.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            Variable variable = variables.stream().filter(v -> v.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("'" + expr + "' uses $" + name
                            + ", which is no query variable of its dashboard"));
            List<String> values = selected.get(name);
            if (values == null || values.isEmpty()) {
                throw new AssertionError("'" + expr + "' uses $" + name + ", which has no selected value");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(format(variable, values)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Grafana's Prometheus formatting of a variable's selected values. */
    static String format(Variable variable, List<String> values) {
        if (values.equals(ALL)) {
            if (!variable.includeAll() || variable.allValue() == null) {
                // Without a custom allValue Grafana would list every value; these dashboards set one.
                throw new AssertionError("variable " + variable.name() + " has no \"All\" with an allValue");
            }
            return variable.allValue();
        }
        if (!variable.multi() && !variable.includeAll()) {
            return values.get(0).replace("\\", "\\\\").replace("'", "\\\\'");
        }
        List<String> escaped = values.stream().map(GrafanaDashboard::regexEscape).toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }

    /** Grafana's {@code prometheusSpecialRegexEscape}: a regex escape written inside a PromQL string. */
    private static String regexEscape(String value) {
        return value.replace("\\", "\\\\\\\\").replaceAll("[$^*+?.()|\\\\{}\\[\\]]", "\\\\\\\\$0");
    }
}
