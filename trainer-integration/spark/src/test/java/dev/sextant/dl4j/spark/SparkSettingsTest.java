package dev.sextant.dl4j.spark;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong settings fail on the driver, before any executor starts, with a message naming what to change. */
class SparkSettingsTest {

    private static IllegalArgumentException rejected(SparkSettings settings) {
        return assertThrows(IllegalArgumentException.class, settings.withDefaultRunId("app-1")::validate);
    }

    private static void assertNames(String setting, SparkSettings settings) {
        String message = rejected(settings).getMessage();
        assertTrue(message.matches("^" + setting + "\\b.*"), "message should begin with '" + setting + "': " + message);
    }

    @Test
    void theDefaultsAreValid() {
        assertDoesNotThrow(SparkSettings.pushingTo("http://pushgateway:9091").withDefaultRunId("app-1")::validate);
    }

    @Test
    void aMissingOrMalformedPushgatewayUrlIsNamed() {
        assertNames("pushgateway", SparkSettings.pushingTo(null));
        assertNames("pushgateway", SparkSettings.pushingTo(" "));
        assertNames("pushgateway", SparkSettings.pushingTo("pushgateway:9091"));
        assertNames("pushgateway", SparkSettings.pushingTo("ftp://pushgateway:9091"));
        assertNames("pushgateway", SparkSettings.pushingTo("http://bad host:9091"));
    }

    @Test
    void aBadJobPushIntervalOrEventLogFolderIsNamed() {
        assertNames("job", SparkSettings.pushingTo("http://pg:9091").job("has/slash"));
        assertNames("pushInterval", SparkSettings.pushingTo("http://pg:9091").pushInterval(Duration.ofMillis(200)));
        assertNames("pushInterval", SparkSettings.pushingTo("http://pg:9091").pushInterval(null));
        assertNames("eventLogDir", SparkSettings.pushingTo("http://pg:9091").eventLogDir(""));
    }

    @Test
    void theListenerSettingsAreCheckedByTheListenersOwnRules() {
        assertNames("every", SparkSettings.pushingTo("http://pg:9091").every(0));
        assertNames("overheadBudget", SparkSettings.pushingTo("http://pg:9091").overheadBudget(2));
        assertNames("model", SparkSettings.pushingTo("http://pg:9091").model("a model with spaces"));
        // The workers' model names get a suffix ("::worker-N"), which must still fit the 64-character label rule.
        assertNames("model", SparkSettings.pushingTo("http://pg:9091").model("m".repeat(60)));
    }

    @Test
    void aCopyIsIndependentOfLaterChanges() {
        SparkSettings original = SparkSettings.pushingTo("http://pg:9091").model("before");
        SparkSettings copy = original.copy();
        original.model("after");
        assertEquals("before", copy.model());
    }
}
