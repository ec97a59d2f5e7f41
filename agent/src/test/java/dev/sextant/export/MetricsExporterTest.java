package dev.sextant.export;

import dev.sextant.probe.MetricSpec;
import dev.sextant.probe.Reading;
import dev.sextant.probe.Sample;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsExporterTest {
    static final MetricSpec NORM = MetricSpec.perParameter("sextant_weight_norm", null, "L2 norm of the parameters.");
    static final MetricSpec RATIO = MetricSpec.perParameter("sextant_update", "ratio", "Relative update.");

    @Test
    void gaugesCarryHelpUnitsLabelsAndTheLastValue() {
        PrometheusMeterRegistry registry = MetricsExporter.newRegistry();
        MetricsExporter exporter = new MetricsExporter(registry, "r1", "mlp", List.of());
        exporter.accept(new Sample("weights", 1, 0, 0, List.of(new Reading(NORM, List.of("0", "W"), 1.5),
                new Reading(RATIO, List.of("0", "W"), 1e-3))));
        exporter.accept(new Sample("weights", 2, 0, 0, List.of(new Reading(NORM, List.of("0", "W"), Double.NaN))));
        exporter.probeTimed("weights", 2, 0.25);
        exporter.probeFailed("weights", 2, new RuntimeException());
        String text = registry.scrape();
        assertTrue(text.contains("# HELP sextant_weight_norm L2 norm of the parameters."), text);
        assertTrue(text.contains("sextant_weight_norm{layer=\"0\",model=\"mlp\",param=\"W\",run=\"r1\"} NaN"), text);
        assertTrue(text.contains("sextant_update_ratio{layer=\"0\",model=\"mlp\",param=\"W\",run=\"r1\"} 0.001"), text);
        assertTrue(text.contains("sextant_probe_duration_seconds{model=\"mlp\",probe=\"weights\",run=\"r1\"} 0.25"), text);
        assertTrue(text.contains("sextant_probe_failures_total{model=\"mlp\",probe=\"weights\",run=\"r1\"} 1.0"), text);
    }

    @Test
    void aTakenPortFailsWithAMessageSayingWhatToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> MetricsServer.start(
                    MetricsExporter.newRegistry().getPrometheusRegistry(), "127.0.0.1", taken.getLocalPort()));
            assertTrue(e.getMessage().contains("choose another port"), e.getMessage());
        }
    }
}
