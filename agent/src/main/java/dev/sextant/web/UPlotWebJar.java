package dev.sextant.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * uPlot (https://github.com/leeoniya/uPlot, MIT licence) as packaged by the WebJar
 * {@code org.webjars.npm:uplot} (a dependency in {@code agent/pom.xml}): its files live on the
 * class path under {@code META-INF/resources/webjars/uplot/<version>/dist/}.
 */
public final class UPlotWebJar {
    /**
     * The WebJar's version, as in {@code agent/pom.xml}; {@code UPlotWebJarTest} checks it against
     * the WebJar on the class path, so a version bump in the pom that misses this fails the build.
     */
    public static final String VERSION = "1.6.30";
    /** Where WebJars keep their files on the class path. */
    static final String WEBJARS_ROOT = "META-INF/resources/webjars/";

    private UPlotWebJar() {
    }

    /** The version of the uPlot WebJar, e.g. {@code 1.6.30}. */
    public static String version() {
        return VERSION;
    }

    /** The URL path (relative to the page) of uPlot's minified script. */
    public static String scriptPath() {
        return "webjars/uplot/" + version() + "/dist/uPlot.iife.min.js";
    }

    /** The URL path (relative to the page) of uPlot's style sheet. */
    public static String stylePath() {
        return "webjars/uplot/" + version() + "/dist/uPlot.min.css";
    }

    /** uPlot's minified script, for inlining. */
    public static String script() {
        return read(WEBJARS_ROOT + scriptPath().substring("webjars/".length()));
    }

    /** uPlot's style sheet, for inlining. */
    public static String style() {
        return read(WEBJARS_ROOT + stylePath().substring("webjars/".length()));
    }

    static String read(String resource) {
        try (InputStream in = UPlotWebJar.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class path resource " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class path resource " + resource, e);
        }
    }
}
