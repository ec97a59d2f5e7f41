package dev.sextant.web;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UPlotWebJarTest {

    @Test
    void theVersionIsTheWebJarOnTheClassPath() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            assertNotNull(in, "the uPlot WebJar is on the class path");
            p.load(in);
        }
        assertEquals(p.getProperty("version"), UPlotWebJar.VERSION,
                "agent/pom.xml's uPlot version and UPlotWebJar.VERSION must agree");
    }

    @Test
    void itsScriptAndStyleAreReadable() {
        // The IIFE build defines the global the page uses; the style sheet styles its root class.
        assertTrue(UPlotWebJar.script().contains("uPlot"), "uPlot.iife.min.js");
        assertTrue(UPlotWebJar.style().contains(".uplot"), "uPlot.min.css");
    }
}
