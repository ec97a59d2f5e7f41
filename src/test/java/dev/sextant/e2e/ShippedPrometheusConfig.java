package dev.sextant.e2e;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.nd4j.shade.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose stack's Prometheus configuration ({@code docker/prometheus/prometheus.yml}) and the
 * rule files it loads ({@code dashboards/prometheus/*.rules.yml}), laid out for a Prometheus on
 * this machine. Only addresses change: the trainer target {@value #TRAINER_TARGET} becomes the
 * listeners' loopback addresses, the Pushgateway target {@value #PUSHGATEWAY_TARGET} a test's
 * Pushgateway (its job is left out when there is none), and the Alertmanager target a loopback
 * port (so that a firing alert is sent nowhere off this machine). Job names, intervals, rule paths
 * and everything else stay as shipped; {@link #adapted} checks that.
 */
public final class ShippedPrometheusConfig {
    /** The trainer's address in the compose stack, the one target the tests replace. */
    static final String TRAINER_TARGET = "trainer:9404";
    /** The Pushgateway's address in the compose stack (Spark executors push there). */
    static final String PUSHGATEWAY_TARGET = "pushgateway:9091";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private final Path repository;
    private final JsonNode shipped;

    private ShippedPrometheusConfig(Path repository, JsonNode shipped) {
        this.repository = repository;
        this.shipped = shipped;
    }

    /** Reads {@code docker/prometheus/prometheus.yml} of the repository above the working directory. */
    public static ShippedPrometheusConfig load() {
        Path root = repositoryRoot();
        return new ShippedPrometheusConfig(root, yaml(root.resolve("docker/prometheus/prometheus.yml")));
    }

    /** The folder with {@code dashboards/}, {@code docker/} and {@code pom.xml} above the working directory. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("dashboards")) && Files.isDirectory(dir.resolve("docker"))
                && Files.isRegularFile(dir.resolve("pom.xml")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no repository root (a folder with dashboards/, docker/ and pom.xml) above "
                + Path.of("").toAbsolutePath());
        return dir;
    }

    /** The job whose static targets hold {@value #TRAINER_TARGET}. */
    String trainerJob() {
        return trainerJobNode(shipped).path("job_name").asText();
    }

    /** The trainer job's scrape interval (its own, else the global one, else Prometheus' default 1m). */
    public Duration scrapeInterval() {
        JsonNode own = trainerJobNode(shipped).path("scrape_interval");
        return duration(own.isMissingNode() ? shipped.path("global").path("scrape_interval").asText("1m") : own.asText());
    }

    /** The global rule evaluation interval (Prometheus' default 1m when absent). */
    Duration evaluationInterval() {
        return duration(shipped.path("global").path("evaluation_interval").asText("1m"));
    }

    /**
     * Starts Prometheus in {@code workDir} with the adapted configuration: the rule files copied
     * where its {@code rule_files} globs look, the trainer job scraping {@code listenerPorts} on
     * 127.0.0.1. Returns once Prometheus is ready and has loaded every shipped rule file.
     */
    PrometheusProcess start(Path workDir, List<Integer> listenerPorts) throws IOException, InterruptedException {
        return start(workDir, listenerPorts, null);
    }

    /**
     * As {@link #start(Path, List)}, with the Pushgateway job scraping {@code pushgatewayAddress}
     * ({@code host:port}), or left out when it is null.
     */
    public PrometheusProcess start(Path workDir, List<Integer> listenerPorts, String pushgatewayAddress)
            throws IOException, InterruptedException {
        List<String> addresses = new ArrayList<>();
        for (int port : listenerPorts) {
            addresses.add("127.0.0.1:" + port);
        }
        String alertmanager = "127.0.0.1:" + PrometheusProcess.freeLoopbackPort();
        int copied = layOutRuleFiles(workDir);
        PrometheusProcess prometheus = PrometheusProcess.start(
                YAML.writeValueAsString(adapted(addresses, pushgatewayAddress, alertmanager)), workDir);
        try {
            int groups = 0;
            for (JsonNode group : prometheus.api("rules", Map.of()).path("groups")) {
                groups++;
                assertTrue(group.path("file").asText().startsWith(workDir.toString()), "rule group "
                        + group.path("name") + " comes from " + group.path("file"));
            }
            assertEquals(shippedRuleGroups(), groups, "Prometheus loaded " + groups + " rule groups from the "
                    + copied + " shipped rule files");
        } catch (Throwable t) {
            prometheus.printLog(System.err);
            prometheus.close();
            throw t;
        }
        return prometheus;
    }

    /**
     * The shipped configuration with the trainer target replaced by {@code trainerAddresses}, the
     * Pushgateway target by {@code pushgatewayAddress} (its job left out when null) and every
     * Alertmanager target by {@code alertmanagerAddress}; nothing else differs.
     */
    JsonNode adapted(List<String> trainerAddresses, String pushgatewayAddress, String alertmanagerAddress) {
        ObjectNode config = shipped.deepCopy();
        ArrayNode jobs = (ArrayNode) config.path("scrape_configs");
        int pushgatewayJob = indexOfJobScraping(jobs, PUSHGATEWAY_TARGET);
        if (pushgatewayAddress == null) {
            jobs.remove(pushgatewayJob);
        } else {
            ArrayNode targets = (ArrayNode) jobs.get(pushgatewayJob).path("static_configs").get(0).path("targets");
            targets.removeAll();
            targets.add(pushgatewayAddress);
        }
        int replaced = 0;
        for (JsonNode staticConfig : trainerJobNode(config).path("static_configs")) {
            ArrayNode targets = (ArrayNode) staticConfig.path("targets");
            for (int i = 0; i < targets.size(); i++) {
                if (targets.get(i).asText().equals(TRAINER_TARGET)) {
                    targets.remove(i);
                    for (String a : trainerAddresses) {
                        targets.insert(i++, a);
                    }
                    replaced++;
                }
            }
        }
        assertEquals(1, replaced, "prometheus.yml should name " + TRAINER_TARGET + " once");
        for (JsonNode am : config.path("alerting").path("alertmanagers")) {
            for (JsonNode staticConfig : am.path("static_configs")) {
                ArrayNode targets = (ArrayNode) staticConfig.path("targets");
                targets.removeAll();
                targets.add(alertmanagerAddress);
            }
        }
        return config;
    }

    /**
     * Copies {@code dashboards/prometheus/*.rules.yml} into {@code workDir} where each
     * {@code rule_files} entry (a path relative to the configuration file) finds them; returns the
     * number of files copied.
     */
    private int layOutRuleFiles(Path workDir) throws IOException {
        JsonNode ruleFiles = shipped.path("rule_files");
        assertFalse(ruleFiles.isEmpty(), "prometheus.yml loads no rule_files");
        int copied = 0;
        for (JsonNode entry : ruleFiles) {
            Path pattern = Path.of(entry.asText());
            assertFalse(pattern.isAbsolute(), "rule_files entry " + entry + " is absolute; the stack's are relative");
            Path target = workDir.resolve(pattern).getParent();
            Files.createDirectories(target);
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
            for (Path rules : shippedRuleFiles()) {
                if (matcher.matches(rules.getFileName())) {
                    Files.copy(rules, target.resolve(rules.getFileName()));
                    copied++;
                }
            }
        }
        assertEquals(shippedRuleFiles().size(), copied, "the rule_files globs " + ruleFiles
                + " do not match each shipped rule file once");
        return copied;
    }

    private List<Path> shippedRuleFiles() {
        try (Stream<Path> s = Files.list(repository.resolve("dashboards/prometheus"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".rules.yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int shippedRuleGroups() {
        int groups = 0;
        for (Path file : shippedRuleFiles()) {
            groups += yaml(file).path("groups").size();
        }
        return groups;
    }

    /** The alert rule named {@code alert} in the shipped rule files. */
    JsonNode alertRule(String alert) {
        for (Path file : shippedRuleFiles()) {
            for (JsonNode group : yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (alert.equals(rule.path("alert").asText())) {
                        return rule;
                    }
                }
            }
        }
        throw new AssertionError("no alert " + alert + " in dashboards/prometheus/*.rules.yml");
    }

    private static int indexOfJobScraping(ArrayNode jobs, String target) {
        for (int i = 0; i < jobs.size(); i++) {
            for (JsonNode staticConfig : jobs.get(i).path("static_configs")) {
                for (JsonNode t : staticConfig.path("targets")) {
                    if (t.asText().equals(target)) {
                        return i;
                    }
                }
            }
        }
        throw new AssertionError("docker/prometheus/prometheus.yml has no job scraping " + target);
    }

    private static JsonNode trainerJobNode(JsonNode config) {
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                for (JsonNode target : staticConfig.path("targets")) {
                    if (target.asText().equals(TRAINER_TARGET)) {
                        return job;
                    }
                }
            }
        }
        throw new AssertionError("docker/prometheus/prometheus.yml has no job scraping " + TRAINER_TARGET);
    }

    /** A Prometheus duration of one unit, e.g. {@code 15s}, {@code 2m}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        assertTrue(m.matches(), "unsupported Prometheus duration '" + text + "'");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
