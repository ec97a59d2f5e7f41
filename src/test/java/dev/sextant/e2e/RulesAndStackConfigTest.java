package dev.sextant.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The watch-and-alert assets of {@code dashboards/} and {@code docker/}, checked by the real tools
 * that load them: {@code promtool} (Debian package {@code prometheus}) checks and unit-tests the
 * rules and checks the stack's Prometheus configuration, {@code amtool} (Debian package
 * {@code prometheus-alertmanager}) checks the Alertmanager configuration and its routing,
 * {@code docker-compose} (Debian package {@code docker-compose}) validates the compose file.
 * The Grafana dashboards are parsed as JSON and their PromQL checked by {@code promtool}. A
 * missing tool fails the test with the package to install; nothing is skipped.
 *
 * <p>Specification, in short: every alert has a severity, a summary, a description, a runbook
 * section and promtool unit tests that see it fire and stay silent; the stack's files point at
 * each other correctly (rule paths as the container sees them, service names, mounts); every
 * dashboard panel has a unit and valid PromQL over metrics that Sextant exports.
 */
class RulesAndStackConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Generous bound for one tool run; each takes well under a second here. */
    private static final long TOOL_TIMEOUT_SECONDS = 60;
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private static final Set<String> TEMPLATE_VARIABLES = Set.of("datasource", "job", "instance", "run", "layer");
    private static final String DATASOURCE_UID = "${datasource}";
    private static final Pattern SEXTANT_METRIC = Pattern.compile("\\bsextant_[a-z0-9_]*[a-z0-9]");
    private static final Pattern DASHBOARD_VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    private static Path root;
    private static Path dashboards;
    private static Path docker;

    @BeforeAll
    static void findRepository() {
        root = ShippedPrometheusConfig.repositoryRoot();
        dashboards = root.resolve("dashboards");
        docker = root.resolve("docker");
    }

    // ---------------------------------------------------------------- Prometheus rules

    @Test
    void promtoolAcceptsEveryRuleFile() {
        List<Path> files = ruleFiles();
        assertFalse(files.isEmpty(), "no *.rules.yml in " + dashboards.resolve("prometheus"));
        for (Path file : files) {
            ToolRun run = tool("promtool", "prometheus").run(file.getParent(), "check", "rules", file.toString());
            run.assertSucceeded();
            assertTrue(Pattern.compile("SUCCESS: [1-9][0-9]* rules found").matcher(run.output()).find(),
                    file + ": promtool found no rules:\n" + run.output());
        }
    }

    @Test
    void promtoolUnitTestsOfTheRulesPass() {
        List<Path> tests = ruleTestFiles();
        assertFalse(tests.isEmpty(), "no promtool tests in " + dashboards.resolve("prometheus/tests"));
        for (Path test : tests) {
            // Run from the test's own folder, as its rule_files paths are relative to it.
            ToolRun run = tool("promtool", "prometheus").run(test.getParent(), "test", "rules", test.toString());
            run.assertSucceeded();
            assertTrue(run.output().contains("SUCCESS"), test + ": promtool did not report SUCCESS:\n" + run.output());
        }
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Path test : ruleTestFiles()) {
            for (JsonNode t : yaml(test).path("tests")) {
                for (JsonNode a : t.path("alert_rule_test")) {
                    (a.path("exp_alerts").isEmpty() ? silent : firing).add(a.path("alertname").asText());
                }
            }
        }
        Set<String> alerts = alerts().keySet();
        assertFalse(alerts.isEmpty(), "no alert rules found");
        for (String alert : alerts) {
            assertTrue(firing.contains(alert), alert + " has no promtool test case in which it fires");
            assertTrue(silent.contains(alert), alert + " has no promtool test case in which it stays silent");
        }
        Set<String> unknown = new TreeSet<>(firing);
        unknown.addAll(silent);
        unknown.removeAll(alerts);
        assertTrue(unknown.isEmpty(), "promtool tests name alerts that no rule file defines: " + unknown);
    }

    @Test
    void everyAlertHasSeverityAnnotationsAndARunbookSection() throws IOException {
        Set<String> anchors = markdownAnchors(dashboards.resolve("RUNBOOK.md"));
        for (Map.Entry<String, JsonNode> e : alerts().entrySet()) {
            String alert = e.getKey();
            JsonNode rule = e.getValue();
            String severity = rule.path("labels").path("severity").asText("");
            assertTrue(SEVERITIES.contains(severity), alert + ": labels.severity is '" + severity + "'; use one of "
                    + SEVERITIES + " (alertmanager.yml routes on it)");
            for (String a : List.of("summary", "description", "runbook_url")) {
                assertFalse(rule.path("annotations").path(a).asText("").isBlank(), alert + ": annotation " + a
                        + " is missing");
            }
            String url = rule.path("annotations").path("runbook_url").asText();
            String expected = "dashboards/RUNBOOK.md#" + anchor(alert);
            assertEquals(expected, url, alert + ": runbook_url should point at its own section of RUNBOOK.md");
            assertTrue(anchors.contains(anchor(alert)), "dashboards/RUNBOOK.md has no section '## " + alert + "'");
        }
    }

    // ---------------------------------------------------------------- the compose stack

    @Test
    void dockerComposeAcceptsTheStack() {
        Path compose = docker.resolve("docker-compose.yml");
        tool("docker-compose", "docker-compose").run(docker, "-f", compose.toString(), "config", "-q").assertSucceeded();

        JsonNode services = yaml(compose).path("services");
        for (String service : List.of("trainer", "prometheus", "pushgateway", "alertmanager", "grafana")) {
            assertTrue(services.has(service), "docker-compose.yml has no service '" + service + "'");
        }
        // docker-compose does not check bind-mount sources: a typo would mount an empty folder.
        for (Iterator<String> it = services.fieldNames(); it.hasNext(); ) {
            String service = it.next();
            for (Map.Entry<String, Path> m : bindMounts(service).entrySet()) {
                assertTrue(Files.exists(m.getValue()), "service " + service + " mounts " + m.getValue()
                        + " at " + m.getKey() + ", which does not exist");
            }
        }
        JsonNode build = services.path("trainer").path("build");
        Path context = docker.resolve(build.path("context").asText(".")).normalize();
        assertEquals(root, context, "the trainer image is built from the repository root");
        assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText("Dockerfile"))),
                "the trainer's Dockerfile " + build.path("dockerfile") + " is not in " + context);
    }

    @Test
    void promtoolAcceptsTheStacksPrometheusConfigWithRulePathsAsTheContainerSeesThem(@TempDir Path container)
            throws IOException {
        // Lay out the Prometheus container's file system from the compose bind mounts, so that
        // the rule_files globs resolve exactly as they will in the container.
        Map<String, Path> mounts = bindMounts("prometheus");
        for (Map.Entry<String, Path> m : mounts.entrySet()) {
            copy(m.getValue(), container.resolve(m.getKey().substring(1)));
        }
        Path config = container.resolve("etc/prometheus/prometheus.yml");
        assertTrue(Files.isRegularFile(config), "docker-compose.yml mounts no prometheus.yml at "
                + "/etc/prometheus/prometheus.yml; mounts: " + mounts.keySet());
        ToolRun run = tool("promtool", "prometheus").run(container, "check", "config", config.toString());
        run.assertSucceeded();
        for (Path rules : ruleFiles()) {
            assertTrue(Pattern.compile(Pattern.quote(rules.getFileName().toString()) + "\\s+SUCCESS: [1-9][0-9]* rules found")
                            .matcher(run.output()).find(),
                    "the stack's Prometheus does not load " + dashboards.relativize(rules) + ":\n" + run.output());
        }
    }

    @Test
    void stackServicesReachEachOtherByTheirComposeNames() {
        Set<String> services = new TreeSet<>();
        yaml(docker.resolve("docker-compose.yml")).path("services").fieldNames().forEachRemaining(services::add);

        JsonNode prometheus = yaml(docker.resolve("prometheus/prometheus.yml"));
        boolean scrapesTrainer = false;
        for (JsonNode job : prometheus.path("scrape_configs")) {
            for (JsonNode target : targets(job)) {
                String host = target.asText().split(":")[0];
                assertTrue(host.equals("localhost") || services.contains(host), "prometheus.yml job "
                        + job.path("job_name") + " scrapes " + target + ", which is no compose service");
                scrapesTrainer |= job.path("job_name").asText().equals("sextant") && host.equals("trainer");
            }
        }
        assertTrue(scrapesTrainer, "prometheus.yml has no job 'sextant' scraping the trainer service "
                + "(SextantTargetDown watches up{job=\"sextant\"})");
        for (JsonNode am : prometheus.path("alerting").path("alertmanagers")) {
            for (JsonNode target : targets(am)) {
                assertTrue(services.contains(target.asText().split(":")[0]), "prometheus.yml sends alerts to "
                        + target + ", which is no compose service");
            }
        }

        for (JsonNode receiver : yaml(dashboards.resolve("alertmanager/alertmanager.yml")).path("receivers")) {
            for (JsonNode hook : receiver.path("webhook_configs")) {
                String host = URI.create(hook.path("url").asText()).getHost();
                assertTrue(services.contains(host), "alertmanager receiver " + receiver.path("name")
                        + " posts to " + hook.path("url") + ", whose host is no compose service");
            }
        }

        for (JsonNode ds : yaml(dashboards.resolve("grafana/provisioning/datasources/prometheus.yml")).path("datasources")) {
            String host = URI.create(ds.path("url").asText()).getHost();
            assertTrue(services.contains(host), "Grafana datasource " + ds.path("name") + " points at "
                    + ds.path("url") + ", whose host is no compose service");
        }
        Map<String, Path> grafana = bindMounts("grafana");
        String home = yaml(docker.resolve("docker-compose.yml")).path("services").path("grafana").path("environment")
                .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText("");
        if (!home.isEmpty()) {
            assertTrue(Files.isRegularFile(hostPath(grafana, home)), "Grafana's home dashboard " + home
                    + " is no file in its mounts");
        }
        for (Path provider : yamlFiles(dashboards.resolve("grafana/provisioning/dashboards"))) {
            for (JsonNode p : yaml(provider).path("providers")) {
                Path host = hostPath(grafana, p.path("options").path("path").asText());
                assertEquals(dashboards.resolve("grafana/dashboards"), host, "dashboard provider "
                        + p.path("name") + " reads " + p.path("options").path("path") + " in the Grafana container");
            }
        }
    }

    // ---------------------------------------------------------------- Alertmanager

    @Test
    void amtoolAcceptsTheAlertmanagerConfigAndItRoutesBySeverity() {
        Path config = dashboards.resolve("alertmanager/alertmanager.yml");
        Tool amtool = tool("amtool", "prometheus-alertmanager");
        amtool.run(config.getParent(), "check-config", config.toString()).assertSucceeded();

        Map<String, String> receiverBySeverity = new LinkedHashMap<>();
        JsonNode route = yaml(config).path("route");
        for (JsonNode r : route.path("routes")) {
            for (JsonNode m : r.path("matchers")) {
                Matcher sev = Pattern.compile("severity\\s*=\\s*\"?([a-z]+)\"?").matcher(m.asText());
                if (sev.matches()) {
                    receiverBySeverity.put(sev.group(1), r.path("receiver").asText());
                }
            }
        }
        assertEquals(SEVERITIES, receiverBySeverity.keySet(), "alertmanager.yml should route each severity");
        for (Map.Entry<String, String> e : receiverBySeverity.entrySet()) {
            // amtool resolves the route tree itself and exits 1 when the receiver differs.
            amtool.run(config.getParent(), "config", "routes", "test", "--config.file=" + config,
                    "--verify.receivers=" + e.getValue(), "severity=" + e.getKey(), "alertname=SextantAnyAlert")
                    .assertSucceeded();
        }
    }

    // ---------------------------------------------------------------- Grafana dashboards

    @Test
    void everyDashboardPanelHasAUnitAnExpressionAndTheTemplateVariables() {
        List<Path> files = dashboardFiles();
        assertFalse(files.isEmpty(), "no dashboards in " + dashboards.resolve("grafana/dashboards"));
        Set<String> uids = new TreeSet<>();
        for (Path file : files) {
            JsonNode dash = json(file);
            String name = file.getFileName().toString();
            assertTrue(uids.add(dash.path("uid").asText()), name + ": uid " + dash.path("uid") + " is used twice");
            assertTrue(dash.path("schemaVersion").asInt() >= 39, name + ": schemaVersion below 39");
            Set<String> variables = new TreeSet<>();
            for (JsonNode v : dash.path("templating").path("list")) {
                variables.add(v.path("name").asText());
            }
            assertTrue(variables.containsAll(TEMPLATE_VARIABLES), name + ": template variables " + variables
                    + " lack some of " + TEMPLATE_VARIABLES);
            List<JsonNode> panels = panels(dash);
            assertFalse(panels.isEmpty(), name + " has no panels");
            for (JsonNode panel : panels) {
                String where = name + " panel '" + panel.path("title").asText() + "'";
                assertFalse(panel.path("fieldConfig").path("defaults").path("unit").asText("").isBlank(),
                        where + ": fieldConfig.defaults.unit is not set");
                assertEquals(DATASOURCE_UID, panel.path("datasource").path("uid").asText(),
                        where + ": datasource should be the ${datasource} variable");
                assertFalse(panel.path("targets").isEmpty(), where + " has no query");
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText("");
                    assertFalse(expr.isBlank(), where + ": query " + target.path("refId") + " has no expr");
                    Matcher v = DASHBOARD_VARIABLE.matcher(expr);
                    while (v.find()) {
                        assertTrue(variables.contains(v.group(1)), where + ": expr uses $" + v.group(1)
                                + ", which is no template variable (" + variables + "): " + expr);
                    }
                }
            }
        }
    }

    @Test
    void everyDashboardExpressionIsValidPromQL(@TempDir Path tmp) throws IOException {
        // promtool parses each expression as a recording rule; one group per panel names the
        // panel in any error. Template variables become the regex that "All" selects.
        StringBuilder rules = new StringBuilder("groups:\n");
        int n = 0;
        for (Path file : dashboardFiles()) {
            JsonNode dash = json(file);
            for (JsonNode panel : panels(dash)) {
                rules.append("  - name: ").append(JSON.writeValueAsString(file.getFileName() + " panel "
                        + panel.path("id").asInt() + " " + panel.path("title").asText())).append("\n    rules:\n");
                for (JsonNode target : panel.path("targets")) {
                    rules.append("      - record: dashboard_expr_").append(++n).append('\n')
                            .append("        expr: ").append(JSON.writeValueAsString(withAllSelected(target.path("expr").asText())))
                            .append('\n');
                }
            }
            for (JsonNode v : dash.path("templating").path("list")) {
                Matcher q = Pattern.compile("label_values\\((.*),\\s*[a-z_]+\\)").matcher(v.path("definition").asText());
                if (q.matches()) {
                    rules.append("  - name: ").append(JSON.writeValueAsString(file.getFileName() + " variable "
                            + v.path("name").asText())).append("\n    rules:\n      - record: dashboard_expr_")
                            .append(++n).append("\n        expr: ")
                            .append(JSON.writeValueAsString(withAllSelected(q.group(1)))).append('\n');
                }
            }
        }
        Path file = tmp.resolve("dashboard-expressions.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);
        ToolRun run = tool("promtool", "prometheus").run(tmp, "check", "rules", file.toString());
        run.assertSucceeded();
        assertTrue(run.output().contains("SUCCESS: " + n + " rules found"), "promtool checked fewer than the " + n
                + " dashboard expressions:\n" + run.output());
    }

    @Test
    void everySextantMetricNamedInDashboardsAndRulesIsOneSextantExports() throws IOException {
        Set<String> exported = exportedMetricNames();
        assertTrue(exported.contains("sextant_step") && exported.contains("sextant_probe_failures_total"),
                "reading the metric declarations from the sources failed: " + exported);
        List<Path> files = new ArrayList<>(dashboardFiles());
        files.addAll(ruleFiles());
        files.addAll(ruleTestFiles());
        for (Path file : files) {
            Set<String> unknown = new TreeSet<>();
            Matcher m = SEXTANT_METRIC.matcher(Files.readString(file));
            while (m.find()) {
                if (!exported.contains(m.group())) {
                    unknown.add(m.group());
                }
            }
            assertTrue(unknown.isEmpty(), root.relativize(file) + " names metrics that Sextant does not export: "
                    + unknown + "\nexported: " + exported);
        }
    }

    // ---------------------------------------------------------------- the files

    private static List<Path> ruleFiles() {
        return list(dashboards.resolve("prometheus"), "*.rules.yml");
    }

    private static List<Path> ruleTestFiles() {
        return list(dashboards.resolve("prometheus/tests"), "*.yml");
    }

    private static List<Path> dashboardFiles() {
        return list(dashboards.resolve("grafana/dashboards"), "*.json");
    }

    private static List<Path> yamlFiles(Path dir) {
        return list(dir, "*.{yml,yaml}");
    }

    private static List<Path> list(Path dir, String glob) {
        var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> matcher.matches(p.getFileName())).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Alert rules of every rule file, by alert name. */
    private static Map<String, JsonNode> alerts() {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("alert")) {
                        assertTrue(alerts.put(rule.path("alert").asText(), rule) == null,
                                "alert " + rule.path("alert") + " is defined twice");
                    }
                }
            }
        }
        return alerts;
    }

    /** All panels, including those nested in collapsed rows. */
    private static List<JsonNode> panels(JsonNode dash) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dash.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                p.path("panels").forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static String withAllSelected(String expr) {
        return expr.replace("$__all", ".*").replaceAll("\\$\\{?(job|instance|run|layer)}?", ".*");
    }

    /**
     * Prometheus names of the metrics Sextant declares in its sources: every
     * {@code MetricSpec.global/perParameter/labelled("name", unit, ...)} as {@code name_unit}
     * ({@code MetricSpec.prometheusName()}), every Micrometer counter {@code "sextant.a.b"} as
     * {@code sextant_a_b_total} and every gauge built by name as {@code sextant_a_b}; the Spark
     * module's sources included.
     */
    private static Set<String> exportedMetricNames() throws IOException {
        Pattern spec = Pattern.compile(
                "MetricSpec\\.(?:global|perParameter|labelled)\\(\\s*\"(sextant_[a-z0-9_]+)\"\\s*,\\s*(?:null|\"([a-z_]+)\")");
        Pattern counter = Pattern.compile("(?:Function)?Counter\\.builder\\(\\s*\"(sextant(?:\\.[a-z0-9]+)+)\"");
        Pattern gauge = Pattern.compile("Gauge\\.builder\\(\\s*\"(sextant(?:\\.[a-z0-9]+)+)\"");
        Set<String> names = new TreeSet<>();
        for (String module : List.of("agent", "trainer-integration", "trainer-integration/spark")) {
            try (Stream<Path> s = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path java : s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                    String text = Files.readString(java);
                    Matcher m = spec.matcher(text);
                    while (m.find()) {
                        names.add(m.group(2) == null ? m.group(1) : m.group(1) + "_" + m.group(2));
                    }
                    Matcher c = counter.matcher(text);
                    while (c.find()) {
                        names.add(c.group(1).replace('.', '_') + "_total");
                    }
                    Matcher g = gauge.matcher(text);
                    while (g.find()) {
                        names.add(g.group(1).replace('.', '_'));
                    }
                }
            }
        }
        return names;
    }

    /** GitHub's anchors of the Markdown headings of a file. */
    private static Set<String> markdownAnchors(Path md) throws IOException {
        return Files.readAllLines(md).stream().filter(l -> l.startsWith("#"))
                .map(l -> anchor(l.replaceFirst("^#+\\s*", ""))).collect(Collectors.toSet());
    }

    private static String anchor(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    /** Container path to host path of each bind mount of a compose service (named volumes left out). */
    private static Map<String, Path> bindMounts(String service) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (JsonNode v : yaml(docker.resolve("docker-compose.yml")).path("services").path(service).path("volumes")) {
            String source;
            String target;
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                source = parts[0];
                target = parts.length > 1 ? parts[1] : parts[0];
            } else {
                source = v.path("source").asText();
                target = v.path("target").asText();
            }
            if (source.startsWith(".") || source.startsWith("/")) {
                mounts.put(target, docker.resolve(source).normalize());
            }
        }
        return mounts;
    }

    /** The host path behind a path inside a container, through the longest matching bind mount. */
    private static Path hostPath(Map<String, Path> mounts, String containerPath) {
        String best = null;
        for (String target : mounts.keySet()) {
            if ((containerPath.equals(target) || containerPath.startsWith(target + "/"))
                    && (best == null || target.length() > best.length())) {
                best = target;
            }
        }
        assertTrue(best != null, containerPath + " is in no bind mount of the service: " + mounts.keySet());
        String rest = containerPath.substring(best.length()).replaceFirst("^/", "");
        return rest.isEmpty() ? mounts.get(best) : mounts.get(best).resolve(rest);
    }

    private static List<JsonNode> targets(JsonNode config) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode sc : config.path("static_configs")) {
            sc.path("targets").forEach(out::add);
        }
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.collect(Collectors.toList())) {
                    Path dest = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest);
                    }
                }
            }
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to);
        }
    }

    private static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- external tools

    /** An executable found on the PATH; a missing one fails the test, naming its Debian package. */
    private static Tool tool(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path exe = Path.of(dir, name);
            if (Files.isExecutable(exe)) {
                return new Tool(exe);
            }
        }
        return fail(name + " is not on the PATH (" + System.getenv("PATH") + "): install the Debian package "
                + debianPackage + " (apt-get install " + debianPackage + "); run-tests.sh installs it");
    }

    private record Tool(Path executable) {
        ToolRun run(Path workDir, String... args) {
            List<String> command = new ArrayList<>();
            command.add(executable.toString());
            command.addAll(List.of(args));
            try {
                Path out = Files.createTempFile("sextant-tool-", ".out");
                try {
                    Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                            .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start();
                    if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        fail(String.join(" ", command) + " did not finish in " + TOOL_TIMEOUT_SECONDS + " s");
                    }
                    return new ToolRun(command, p.exitValue(), Files.readString(out));
                } finally {
                    Files.deleteIfExists(out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + command, e);
            }
        }
    }

    private record ToolRun(List<String> command, int exitCode, String output) {
        void assertSucceeded() {
            assertEquals(0, exitCode, String.join(" ", command) + " failed with exit code " + exitCode + ":\n" + output);
        }
    }
}
