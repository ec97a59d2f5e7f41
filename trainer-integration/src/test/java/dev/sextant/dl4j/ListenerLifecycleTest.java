package dev.sextant.dl4j;

import dev.sextant.alert.Condition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** close(), two listeners in one JVM, basic authentication and condition actions on a real training run. */
class ListenerLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void closeIsIdempotentStopsTheServerAndTwoListenersServeSideBySide() throws Exception {
        SextantListener a = SextantListener.builder().fixedIntervals().runId("a").port(0).eventLog(dir.resolve("a.jsonl")).build();
        SextantListener b = SextantListener.builder().fixedIntervals().runId("b").port(0).eventLog(dir.resolve("b.jsonl")).build();
        assertNotEquals(a.port(), b.port());
        MultiLayerNetwork n1 = TinyNets.mlp(1);
        MultiLayerNetwork n2 = TinyNets.mlp(2);
        n1.addListeners(a);
        n2.addListeners(b);
        for (DataSet ds : TinyNets.batches(3, 2, 8)) {
            n1.fit(ds);
            n2.fit(ds);
        }
        assertTrue(SextantListenerTest.scrape(a.metricsUrl()).contains("run=\"a\""));
        assertTrue(SextantListenerTest.scrape(b.metricsUrl()).contains("run=\"b\""));
        String url = a.metricsUrl();
        a.close();
        a.close();
        assertThrows(ConnectException.class, () -> HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()));
        // a closed listener ignores further callbacks and writes nothing more
        long lines = Files.lines(dir.resolve("a.jsonl")).count();
        n1.fit(TinyNets.batches(4, 1, 8).get(0));
        assertEquals(lines, Files.lines(dir.resolve("a.jsonl")).count());
        assertTrue(SextantListenerTest.scrape(b.metricsUrl()).contains("sextant_weight_norm"));
        b.close();
    }

    @Test
    void basicAuthenticationIsRequiredWhenConfigured() throws Exception {
        try (SextantListener s = SextantListener.builder().fixedIntervals().port(0).eventLog(null).basicAuth("prom", "s3cret").build()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(s.metricsUrl())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            String good = Base64.getEncoder().encodeToString("prom:s3cret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> authorised = http.send(HttpRequest.newBuilder(URI.create(s.metricsUrl()))
                    .header("Authorization", "Basic " + good).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, authorised.statusCode());
            String bad = Base64.getEncoder().encodeToString("prom:wrong".getBytes(StandardCharsets.UTF_8));
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(s.metricsUrl()))
                    .header("Authorization", "Basic " + bad).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void nonFiniteTrainingTriggersTheActionOnceOnTheTrainingThreadAndIsLogged() throws Exception {
        // A NaN feature in the 4th batch makes the loss, the gradients and then the weights NaN.
        MultiLayerNetwork net = TinyNets.mlp(5, new Sgd(0.1), 0);
        List<DataSet> batches = TinyNets.batches(6, 10, 8);
        batches.get(3).getFeatures().putScalar(0, 0, Double.NaN);
        List<Long> steps = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        Path log = dir.resolve("nan.jsonl");
        try (SextantListener s = SextantListener.builder().fixedIntervals().port(-1).every(1).eventLog(log)
                .onCondition(Condition.NON_FINITE, e -> {
                    steps.add(e.step());
                    threads.add(Thread.currentThread().getName());
                })
                .onCondition(Condition.NON_FINITE, e -> {
                    throw new IllegalStateException("a user's broken action");
                })
                .build()) {
            net.addListeners(s);
            String trainingThread = Thread.currentThread().getName();
            for (DataSet ds : batches) {
                net.fit(ds); // never throws, though an action does
            }
            assertEquals(List.of(3L), steps, "triggered once, at the NaN batch, while the condition persists");
            assertEquals(List.of(trainingThread), threads);
            assertTrue(s.registry().scrape().contains("sextant_action_failures_total{model=\"model\",run="));
        }
        assertTrue(Files.readAllLines(log).stream()
                .anyMatch(l -> l.contains("\"event\":\"condition\"") && l.contains("\"name\":\"NON_FINITE\"")));
        assertFalse(Files.readAllLines(log).isEmpty());
    }

    @Test
    void aListenerThatIsNeverClosedCanStillBeCollectedWithItsNetwork() throws Exception {
        java.lang.ref.WeakReference<MultiLayerNetwork> network = trainAndForget();
        for (int i = 0; i < 20 && network.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        // The shutdown hook holds only the server and the log, so nothing pins the network.
        assertTrue(network.get() == null, "the network is still reachable");
    }

    private java.lang.ref.WeakReference<MultiLayerNetwork> trainAndForget() {
        MultiLayerNetwork net = TinyNets.mlp(9);
        SextantListener s = SextantListener.builder().port(-1).eventLog(dir.resolve("forgotten.jsonl")).build();
        net.addListeners(s);
        net.fit(TinyNets.batches(10, 1, 8).get(0));
        return new java.lang.ref.WeakReference<>(net);
    }
}
