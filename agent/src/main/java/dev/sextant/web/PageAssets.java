package dev.sextant.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files the page loads besides itself, from the class path: its own script and style sheet
 * ({@code dev/sextant/web/}) and uPlot's ({@code /webjars/uplot/...}). Nothing is fetched from the
 * network, so the page works offline. Only these two places can be read: a path with {@code ..},
 * an empty segment or an unexpected character is refused.
 */
final class PageAssets {
    static final String SCRIPT = "sextant-page.js";
    static final String STYLE = "sextant-page.css";
    private static final String OWN_ROOT = "dev/sextant/web/";
    private static final Pattern WEBJAR_PATH = Pattern.compile("/webjars/uplot/[0-9A-Za-z.-]+/dist/[0-9A-Za-z_.-]+");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "map", "application/json; charset=utf-8",
            "ts", "text/plain; charset=utf-8");

    /** A file to send: its bytes, content type and whether its URL names a version (cacheable for long). */
    record Asset(byte[] bytes, String contentType, boolean versioned) {
    }

    private PageAssets() {
    }

    /** The asset at URL path {@code path} (e.g. {@code /sextant-page.js}), or null when there is none. */
    static Asset find(String path) {
        if (path.equals("/" + SCRIPT) || path.equals("/" + STYLE)) {
            byte[] b = bytes(OWN_ROOT + path.substring(1));
            return b == null ? null : new Asset(b, type(path), false);
        }
        if (WEBJAR_PATH.matcher(path).matches() && !path.contains("..")) {
            byte[] b = bytes(UPlotWebJar.WEBJARS_ROOT + path.substring("/webjars/".length()));
            return b == null ? null : new Asset(b, type(path), true);
        }
        return null;
    }

    /** One of the page's own files as text, for inlining in a report. */
    static String ownText(String name) {
        return UPlotWebJar.read(OWN_ROOT + name);
    }

    private static String type(String path) {
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class path resource " + resource, e);
        }
    }
}
