package dev.sextant.dl4j.spark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replaces one group of a Prometheus Pushgateway with a scrape body: {@code PUT
 * /metrics/job/<job>/<label>/<value>...} with the Prometheus text format (version 0.0.4).
 *
 * <p>That is the whole Pushgateway protocol Sextant needs, so it is written here on the JDK's
 * HTTP client instead of a library. Every grouping value is sent base64url-encoded
 * ({@code <label>@base64/<value>}, the Pushgateway's form for values that may hold {@code /}).
 * A PUT replaces all series of the group, so a series that is no longer registered disappears
 * from the Pushgateway with the next push.
 */
final class PushgatewayClient {
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http;

    /** @param base the Pushgateway's address, e.g. {@code http://pushgateway:9091} */
    PushgatewayClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The group's address: {@code <base>/metrics/job@base64/<job>/<label>@base64/<value>...}. */
    URI groupUri(String job, Map<String, String> grouping) {
        StringBuilder path = new StringBuilder("/metrics");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("job", job);
        all.putAll(grouping);
        for (Map.Entry<String, String> e : all.entrySet()) {
            path.append('/').append(e.getKey()).append("@base64/").append(base64(e.getValue()));
        }
        String prefix = base.toString().replaceAll("/+$", "");
        return URI.create(prefix + path);
    }

    /** Replaces the group with {@code body}; throws when the Pushgateway is unreachable or refuses it. */
    void put(String job, Map<String, String> grouping, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(groupUri(job, grouping))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", TEXT_FORMAT)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Pushgateway " + base + " answered " + response.statusCode() + " to a push: "
                    + response.body().strip());
        }
    }

    /** Whether the Pushgateway answers {@code GET /-/ready} with 200. */
    boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + "/-/ready"))
                    .timeout(REQUEST_TIMEOUT).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String base64(String value) {
        // The Pushgateway reads an empty value as "=" in base64 form.
        if (value.isEmpty()) {
            return "=";
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
