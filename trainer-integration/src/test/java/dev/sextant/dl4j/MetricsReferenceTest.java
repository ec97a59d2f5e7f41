package dev.sextant.dl4j;

import dev.sextant.dl4j.parallel.ParallelSextant;
import dev.sextant.probe.MetricSpec;
import dev.sextant.schedule.ProbeRunner;
import dev.sextant.schedule.Profile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's metrics reference lists every metric the code exports, and nothing the code does not. */
class MetricsReferenceTest {

    @Test
    void readmeListsEveryExportedMetricAndNoOther() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Metrics reference");
        String table = readme.substring(start, readme.indexOf("\n## ", start + 5));
        List<String> exported = new ArrayList<>();
        for (ProbeRunner.Scheduled s : Profile.FULL.probes(Profile.Intervals.DEFAULTS)) {
            for (MetricSpec m : s.probe().metrics()) {
                exported.add(m.prometheusName());
            }
        }
        exported.addAll(List.of("sextant_probe_duration_seconds", "sextant_probe_samples_total",
                "sextant_probe_failures_total", "sextant_event_log_write_errors_total", "sextant_action_failures_total",
                "sextant_probe_interval_steps", "sextant_overhead_ratio"));
        // ParallelWrapper: the cross-worker gradient noise scale
        ParallelSextant.metrics().forEach(m -> exported.add(m.prometheusName()));
        List<String> missing = exported.stream().filter(n -> !table.contains("`" + n + "`")).distinct().toList();
        assertTrue(missing.isEmpty(), "metrics missing from README's metrics reference: " + missing);
        Matcher m = Pattern.compile("^\\| `(sextant_[a-z0-9_]+)`", Pattern.MULTILINE).matcher(table);
        List<String> stale = new ArrayList<>();
        while (m.find()) {
            // The Spark module's metrics are checked by its own SparkPushgatewayTest.
            if (!exported.contains(m.group(1)) && !m.group(1).startsWith("sextant_spark_")) {
                stale.add(m.group(1));
            }
        }
        assertTrue(stale.isEmpty(), "README lists metrics the code does not export: " + stale);
    }
}
