package dev.sextant.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * uPlot (https://github.com/leeoniya/uPlot, MIT licence) as packaged by the WebJar
 * {@code org.webjars.npm:uplot}: its files live on the class path under
 * {@code META-INF/resources/webjars/uplot/<version>/dist/}. The version is read from the WebJar's
 * own {@code pom.properties}, so upgrading the dependency needs no code change.
 */
public final class UPlotWebJar {
    /** Where WebJars keep their files on the class path. */
    static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private static volatile String version;

    private UPlotWebJar() {
    }

    /** The version of the uPlot WebJar on the class path, e.g. {@code 1.6.30}. */
    public static String version() {
        String v = version;
        if (v == null) {
            Properties p = new Properties();
            try (InputStream in = UPlotWebJar.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
                if (in == null) {
                    throw new IllegalStateException("uPlot is missing from the class path (" + POM_PROPERTIES
                            + "): the agent needs the WebJar org.webjars.npm:uplot");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
            }
            v = p.getProperty("version");
            version = v;
        }
        return v;
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
